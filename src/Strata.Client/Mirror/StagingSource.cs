using Strata.Client.Network;
using Strata.Cvmfs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Mirror;

/// <summary>
/// What the mirror reads the upstream revision through: the manifest and whitelist exactly as
/// downloaded, objects from the mirror when already there, otherwise downloaded (hash verified)
/// into the staging area, never straight into <c>data/</c>: a catalog must not appear there before
/// its subtree is complete.
/// </summary>
internal sealed class StagingSource : IRepositorySource
{
    private const long MaxStoredObject = 4L * 1024 * 1024 * 1024;
    private readonly byte[] _manifest;
    private readonly byte[] _whitelist;
    private readonly MirrorStore _store;
    private readonly HttpFetcher _fetcher;
    private readonly Action<long> _fetched;

    public StagingSource(byte[] manifest, byte[] whitelist, MirrorStore store, HttpFetcher fetcher, Action<long> fetched)
    {
        _manifest = manifest;
        _whitelist = whitelist;
        _store = store;
        _fetcher = fetcher;
        _fetched = fetched;
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

        // Whatever is returned is verified again by the reader's ObjectFetcher before use.
        var local = _store.FinalPath(id);
        if (!File.Exists(local))
        {
            local = _store.StagedPath(id);
            if (!File.Exists(local))
            {
                _fetched(await _store.DownloadAsync(_fetcher, id, MaxStoredObject, local, cancellationToken).ConfigureAwait(false));
            }
        }

        return new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }
}
