using Strata.Oci.Digests;

namespace Strata.Publish.Repository;

/// <summary>What the next revision adds and changes. Catalogs must already be stored (their objects flushed).</summary>
public sealed record RevisionChanges
{
    public IReadOnlyList<PublishedCatalog> Layers { get; init; } = [];

    public IReadOnlyList<PublishedCatalog> FlatImages { get; init; } = [];

    public IReadOnlyList<TagPublication> SetTags { get; init; } = [];

    public IReadOnlyList<TagReference> RemoveTags { get; init; } = [];

    /// <summary>Layers (by compressed digest) to take out of <c>/.layers</c> (garbage collection: no tag reaches them).</summary>
    public IReadOnlyList<Digest> RemoveLayers { get; init; } = [];

    /// <summary>Flat images (by config digest) to take out of <c>/.flat</c> (garbage collection: no tag reaches them).</summary>
    public IReadOnlyList<Digest> RemoveFlatImages { get; init; } = [];
}
