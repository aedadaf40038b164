namespace Strata.Metadata.Contracts.Gc;

/// <summary>One garbage collection run, for the history (<c>GET /api/v1/gc</c>).</summary>
/// <param name="Id">0 until stored.</param>
/// <param name="Trigger">Who started it: <c>schedule</c>, <c>api</c>, <c>cli</c>.</param>
/// <param name="Status"><c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</param>
public sealed record GcRunRecord(
    long Id,
    string Trigger,
    bool DryRun,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Status,
    long ManifestsDeleted,
    long BlobsDeleted,
    long LinksPruned,
    long UploadsExpired,
    long OrphansDeleted,
    long BytesFreed,
    string? Error);
