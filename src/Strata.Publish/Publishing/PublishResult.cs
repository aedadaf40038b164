namespace Strata.Publish.Publishing;

/// <summary>What one <see cref="ImagePublisher"/> call did.</summary>
/// <param name="Repository">Registry repository.</param>
/// <param name="Tag">Tag.</param>
/// <param name="Revision">The repository revision that now serves the change.</param>
/// <param name="Platforms">Platforms published (<c>os-arch[-variant]</c>); empty for an unpublish.</param>
/// <param name="SkippedPlatforms">Index entries not published, with the reason.</param>
/// <param name="LayersIngested">Layers unpacked by this call.</param>
/// <param name="LayersReused">Layers already in the repository.</param>
/// <param name="ImagesFlattened">Flat images built by this call.</param>
/// <param name="ImagesReused">Flat images already in the repository.</param>
/// <param name="CompressedBytesRead">Layer blob bytes read.</param>
/// <param name="UncompressedBytes">File content bytes in the ingested layers.</param>
/// <param name="ObjectsStored">New objects written (files, chunks, catalogs, certificate).</param>
/// <param name="StoredBytes">Their stored (compressed) size.</param>
/// <param name="ObjectsDeduplicated">Objects not written because the repository had them.</param>
/// <param name="Files">Regular files in the ingested layers.</param>
/// <param name="Entries">Tar entries in the ingested layers.</param>
/// <param name="FlatEntries">Rows of the flat images built (all catalogs).</param>
/// <param name="Timings">Per-phase wall time.</param>
/// <param name="Warnings">Things dropped and why.</param>
public sealed record PublishResult(
    string Repository,
    string Tag,
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
    long ObjectsDeduplicated,
    long Files,
    long Entries,
    long FlatEntries,
    PublishTimings Timings,
    IReadOnlyList<string> Warnings);
