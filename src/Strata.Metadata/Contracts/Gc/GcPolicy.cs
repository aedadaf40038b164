namespace Strata.Metadata.Contracts.Gc;

/// <summary>What the review decisions depend on.</summary>
/// <param name="GracePeriod">A review is due this long after its last event; links younger than this protect a blob.</param>
/// <param name="LeaseDuration">How long a worker owns a review it took (a crashed worker's review is retried after it).</param>
/// <param name="DeleteUntagged">Whether manifests that nothing tags or references are deleted.</param>
public sealed record GcPolicy(TimeSpan GracePeriod, TimeSpan LeaseDuration, bool DeleteUntagged);
