using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Publish.Trees;

/// <summary>
/// A directory whose subtree is an existing nested catalog, referenced as it is.
/// </summary>
/// <param name="Hash">The nested catalog object.</param>
/// <param name="Size">Its uncompressed size.</param>
/// <param name="Totals">Its statistics (self + subtree), or null when unknown: then the writer's caller
/// accounts for them in the parent's base subtree counters (see <see cref="TreeCatalogWriter"/>).</param>
public sealed record NestedMount(ContentHash Hash, long Size, CatalogCounters? Totals);
