namespace Strata.Publish.Publishing;

/// <summary>Wall time per phase of one publication.</summary>
public sealed record PublishTimings(TimeSpan Resolve, TimeSpan Ingest, TimeSpan Flatten, TimeSpan Commit, TimeSpan Total);
