using Strata.Cvmfs.Objects;
using Strata.Oci.Digests;

namespace Strata.Publish.Images;

/// <summary>A published layer catalog, as the flattener needs it.</summary>
/// <param name="Layer">Compressed layer digest.</param>
/// <param name="CatalogHash">Its catalog at <c>/.layers/xx/&lt;hex&gt;/layerfs</c>.</param>
/// <param name="CatalogSize">Uncompressed catalog size.</param>
public sealed record FlattenLayer(Digest Layer, ContentHash CatalogHash, long CatalogSize);
