using Strata.Metadata.Contracts.Gc;

namespace Strata.Registry.Gc;

/// <summary>
/// What a run deleted (or, dry, would delete). Counts are exact; the item lists stop at
/// <see cref="GarbageCollector.MaxListedItems"/> each, to keep a huge run's memory bounded.
/// </summary>
public sealed record GcReport(
    long Id,
    GcRunRequest Request,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Status,
    string? Error,
    long ManifestsDeleted,
    long BlobsDeleted,
    long LinksPruned,
    long UploadsExpired,
    long OrphansDeleted,
    long BytesFreed,
    bool Complete,
    IReadOnlyList<string> Manifests,
    IReadOnlyList<string> Blobs,
    IReadOnlyList<string> Uploads,
    IReadOnlyList<string> Orphans)
{
    public TimeSpan Duration => FinishedAt - StartedAt;

    public GcRunRecord ToRecord() => new(
        Id, Request.Trigger, Request.DryRun, StartedAt, FinishedAt, Status,
        ManifestsDeleted, BlobsDeleted, LinksPruned, UploadsExpired, OrphansDeleted, BytesFreed, Error);
}
