namespace Strata.Server.Metrics;

/// <summary>Settings of the Prometheus endpoint (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Whether <see cref="Path"/> serves the metrics in Prometheus text format.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The scrape path; outside <c>/api</c> and <c>/v2</c>, as Prometheus expects.</summary>
    public string Path { get; set; } = "/metrics";
}
