namespace Strata.Publish.Repository;

/// <summary>What the next revision adds and changes. Catalogs must already be stored (their objects flushed).</summary>
public sealed record RevisionChanges
{
    public IReadOnlyList<PublishedCatalog> Layers { get; init; } = [];

    public IReadOnlyList<PublishedCatalog> FlatImages { get; init; } = [];

    public IReadOnlyList<TagPublication> SetTags { get; init; } = [];

    public IReadOnlyList<TagReference> RemoveTags { get; init; } = [];
}
