namespace Strata.Server.Tests.Metrics;

/// <summary>
/// Metrics tests run alone: OpenTelemetry listens to meters by name in the whole process, so another
/// test's registry collecting at the same time would add to the figures asserted here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
