using Strata.Publish.Publishing;

namespace Strata.Server.Publication;

/// <summary>The result of a publish job as stored and shown by the API (times in milliseconds).</summary>
public sealed record PublicationSummary(
    string Action,
    long Revision,
    IReadOnlyList<string> Platforms,
    IReadOnlyList<string> SkippedPlatforms,
    int LayersIngested,
    int LayersReused,
    int ImagesFlattened,
    int ImagesReused,
    long CompressedBytesRead,
    long UncompressedBytes,
    long ObjectsStored,
    long StoredBytes,
    long Files,
    double ResolveMs,
    double IngestMs,
    double FlattenMs,
    double CommitMs,
    double TotalMs,
    IReadOnlyList<string> Warnings)
{
    public static PublicationSummary From(PublishResult r, bool published) => new(
        published ? "published" : "removed",
        r.Revision, r.Platforms, r.SkippedPlatforms, r.LayersIngested, r.LayersReused, r.ImagesFlattened, r.ImagesReused,
        r.CompressedBytesRead, r.UncompressedBytes, r.ObjectsStored, r.StoredBytes, r.Files,
        r.Timings.Resolve.TotalMilliseconds, r.Timings.Ingest.TotalMilliseconds, r.Timings.Flatten.TotalMilliseconds,
        r.Timings.Commit.TotalMilliseconds, r.Timings.Total.TotalMilliseconds, r.Warnings);
}
