namespace Strata.Publish.Repository;

/// <summary>A tag to (re)point in the next revision.</summary>
/// <param name="Repository">Registry repository, e.g. <c>library/alpine</c>.</param>
/// <param name="Tag">Tag.</param>
/// <param name="ManifestBytes">The tagged manifest (image manifest or index), byte-exact.</param>
/// <param name="Platforms">Published platforms, in index order (one for an image manifest).</param>
/// <param name="IsIndex">True when the tag names an index: the public name becomes a variant symlink.</param>
public sealed record TagPublication(string Repository, string Tag, byte[] ManifestBytes, IReadOnlyList<PlatformImage> Platforms, bool IsIndex);
