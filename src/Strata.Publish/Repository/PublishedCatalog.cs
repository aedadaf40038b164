using Strata.Oci.Digests;
using Strata.Publish.Trees;

namespace Strata.Publish.Repository;

/// <summary>A layer or flat image catalog, stored and ready to be mounted by a commit.</summary>
/// <param name="Digest">Layer digest, or config digest of a flat image.</param>
/// <param name="Catalog">The written catalog.</param>
public sealed record PublishedCatalog(Digest Digest, WrittenCatalog Catalog);
