using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Manifest;
using Strata.Oci.Digests;
using Strata.Publish.Trees;

namespace Strata.Publish.Repository;

/// <summary>
/// The signed revision a publication starts from, with the look-ups a publisher needs: is a layer
/// or a flat image already there. Only the few catalogs on the way are opened (root,
/// <c>/.layers</c> or <c>/.flat</c>, one bucket), from the local catalog cache.
/// </summary>
public sealed class RepositorySnapshot
{
    private readonly CatalogCache _cache;
    private readonly Dictionary<string, IReadOnlyList<NestedCatalogReference>> _nested = new(StringComparer.Ordinal);

    internal RepositorySnapshot(CatalogCache cache, RepositoryManifest? manifest, byte[]? manifestBytes)
    {
        _cache = cache;
        Manifest = manifest;
        ManifestBytes = manifestBytes;
    }

    /// <summary>The current manifest, or null for a repository never published.</summary>
    public RepositoryManifest? Manifest { get; }

    /// <summary>The raw <c>.cvmfspublished</c> this snapshot was read from.</summary>
    public byte[]? ManifestBytes { get; }

    /// <summary>The current revision, 0 when there is none.</summary>
    public long Revision => Manifest?.Revision ?? 0;

    /// <summary>The published catalog of a layer, or null.</summary>
    public Task<NestedCatalogReference?> FindLayerAsync(Digest layer, CancellationToken cancellationToken) =>
        FindAsync(RepositoryLayout.LayersDirectory, RepositoryLayout.Bucket(layer), RepositoryLayout.LayerRoot(layer), cancellationToken);

    /// <summary>The published flat image of a config digest, or null.</summary>
    public Task<NestedCatalogReference?> FindFlatImageAsync(Digest config, CancellationToken cancellationToken) =>
        FindAsync(RepositoryLayout.FlatDirectory, RepositoryLayout.Bucket(config), RepositoryLayout.FlatRoot(config), cancellationToken);

    private async Task<NestedCatalogReference?> FindAsync(string top, string bucket, string leaf, CancellationToken cancellationToken)
    {
        if (Manifest is null)
        {
            return null;
        }

        var rootRefs = await NestedAsync(string.Empty, Manifest.RootCatalogHash, Manifest.RootCatalogSize, cancellationToken).ConfigureAwait(false);
        var topRef = rootRefs.FirstOrDefault(r => r.Path == top);
        if (topRef is null)
        {
            return null;
        }

        var topRefs = await NestedAsync(top, topRef.Hash, topRef.Size, cancellationToken).ConfigureAwait(false);
        var bucketRef = topRefs.FirstOrDefault(r => r.Path == top + "/" + bucket);
        if (bucketRef is null)
        {
            return null;
        }

        var bucketRefs = await NestedAsync(bucketRef.Path, bucketRef.Hash, bucketRef.Size, cancellationToken).ConfigureAwait(false);
        return bucketRefs.FirstOrDefault(r => r.Path == leaf);
    }

    private async Task<IReadOnlyList<NestedCatalogReference>> NestedAsync(string path, Cvmfs.Objects.ContentHash hash, long size, CancellationToken cancellationToken)
    {
        lock (_nested)
        {
            if (_nested.TryGetValue(path, out var known))
            {
                return known;
            }
        }

        using var catalog = await _cache.OpenAsync(hash, size, cancellationToken).ConfigureAwait(false);
        var references = catalog.NestedCatalogs;
        lock (_nested)
        {
            _nested[path] = references;
        }

        return references;
    }
}
