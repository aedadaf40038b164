namespace Strata.Registry.Gc;

/// <summary>
/// Storage used by blobs, per repository and per project (the first path component of a repository
/// name), as Harbor shows it. <see cref="UsageFigures.Referenced"/> counts every blob the repository
/// (project) keeps once; <see cref="UsageFigures.Shared"/> is the part also kept by another repository
/// (project), so the same bytes appear under both. <see cref="TotalBytes"/> counts every kept blob
/// once: after garbage collection it is what the blob store holds. Manifests live in metadata and are
/// not counted.
/// </summary>
public sealed record UsageReport(
    long TotalBytes,
    long TotalBlobs,
    IReadOnlyList<UsageFigures> Repositories,
    IReadOnlyList<UsageFigures> Projects);
