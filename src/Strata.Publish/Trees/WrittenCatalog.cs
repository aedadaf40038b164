using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Publish.Trees;

/// <summary>A catalog (with the nested catalogs below it) stored as objects.</summary>
/// <param name="Path">Its root path in the repository (empty for the repository root).</param>
/// <param name="Hash">The catalog object.</param>
/// <param name="Size">Uncompressed size, as parents' <c>nested_catalogs.size</c> and the manifest's <c>B</c> record it.</param>
/// <param name="Statistics">Its statistics; <see cref="CatalogStatistics.Total"/> is what a parent adds.</param>
/// <param name="RootAttributes">The root directory's metadata (a parent's mount point row repeats it).</param>
/// <param name="CatalogCount">Catalogs written (this one and the nested ones it split off).</param>
public sealed record WrittenCatalog(string Path, ContentHash Hash, long Size, CatalogStatistics Statistics, FsNode RootAttributes, int CatalogCount)
{
    /// <summary>The mount this catalog becomes in a parent tree.</summary>
    public NestedMount ToMount() => new(Hash, Size, Statistics.Total);
}
