using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>A row of <c>nested_catalogs</c> (or <c>bind_mountpoints</c>) in a parent catalog.</summary>
/// <param name="Path">Mount point, a full repository path such as <c>/nested</c>.</param>
/// <param name="Hash">Hash of the child catalog object.</param>
/// <param name="Size">Uncompressed size of the child catalog (0 when unknown, as in old catalogs).</param>
public sealed record NestedCatalogReference(string Path, ContentHash Hash, long Size);
