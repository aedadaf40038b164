using System.Collections.Concurrent;
using Strata.Client.Cache;
using Strata.Client.Network;
using Strata.Cvmfs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Repository;

/// <summary>
/// The source a <see cref="RepositoryReader"/> reads one revision from: the manifest and whitelist
/// exactly as downloaded from one mirror (so the reader verifies what the client decided on), and
/// every object through the shared cache (downloaded with failover when missing). Catalogs loaded
/// through it stay pinned in the cache until <see cref="ReleasePins"/>.
/// </summary>
internal sealed class EnsembleSource : IRepositorySource
{
    private const long MaxStoredObject = 4L * 1024 * 1024 * 1024;
    private readonly byte[] _manifest;
    private readonly byte[] _whitelist;
    private readonly ObjectCache _cache;
    private readonly HttpFetcher? _fetcher;
    private readonly ConcurrentDictionary<ObjectId, byte> _pinned = new();

    public EnsembleSource(byte[] manifest, byte[] whitelist, ObjectCache cache, HttpFetcher? fetcher)
    {
        _manifest = manifest;
        _whitelist = whitelist;
        _cache = cache;
        _fetcher = fetcher;
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        switch (path)
        {
            case ".cvmfspublished":
                return new MemoryStream(_manifest, writable: false);
            case ".cvmfswhitelist":
                return new MemoryStream(_whitelist, writable: false);
        }

        if (!ObjectId.TryParsePath(path, out var id))
        {
            throw new CvmfsNotFoundException(path);
        }

        var stream = await _cache.OpenStoredAsync(id, MaxStoredObject, _fetcher, cancellationToken).ConfigureAwait(false);
        if (id.Kind == ObjectKind.Catalog && _pinned.TryAdd(id, 0))
        {
            _cache.PinObject(id);
        }

        return stream;
    }

    /// <summary>Unpins the catalogs this revision loaded.</summary>
    public void ReleasePins()
    {
        foreach (var id in _pinned.Keys)
        {
            if (_pinned.TryRemove(id, out _))
            {
                _cache.UnpinObject(id);
            }
        }
    }
}
