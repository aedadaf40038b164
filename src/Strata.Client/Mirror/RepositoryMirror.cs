using Strata.Client.Network;
using Strata.Cvmfs;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Mirror;

/// <summary>
/// Replicates a CernVM-FS repository into a directory laid out like a Stratum 1 (<c>strata mirror</c>,
/// cvmfs <c>cvmfs_server snapshot</c>). Each run: download the manifest and whitelist, refuse a
/// revision older than the one mirrored, verify the ensemble (whitelist by a master key, certificate,
/// manifest signature), walk the catalogs skipping every subtree whose catalog is already present,
/// download missing objects verifying each hash, then write the whitelist and, last, the manifest.
/// Interrupted at any point, the mirror still serves its previous revision, and the next run resumes.
/// </summary>
public sealed partial class RepositoryMirror : IDisposable
{
    private const int MaxSignedFile = 64 * 1024;
    private readonly MirrorOptions _options;
    private readonly Action<MirrorProgress>? _progress;
    private readonly MirrorStore _store;
    private readonly HttpFetcher _fetcher;
    private long _objectsFetched;
    private long _bytesFetched;
    private long _objectsPresent;

    public RepositoryMirror(MirrorOptions options, Action<MirrorProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Upstreams.Count == 0 || options.Upstreams.Any(u => u.Fqrn != options.Fqrn))
        {
            throw new ArgumentException("One or more upstream URLs of the same repository are needed.", nameof(options));
        }

        _options = options;
        _progress = progress;
        _store = new MirrorStore(options.Directory);
        _fetcher = new HttpFetcher([.. options.Upstreams.Select(u => u.Url)], options.Network, new ClientStatistics());
    }

    /// <summary>Counters of the current (or last) run.</summary>
    public MirrorProgress Progress => new(Interlocked.Read(ref _objectsFetched), Interlocked.Read(ref _bytesFetched), Interlocked.Read(ref _objectsPresent));

    /// <summary>Brings the mirror up to the upstream's revision; see the class remarks for the order of writes.</summary>
    public async Task<MirrorResult> SyncAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _objectsFetched, 0);
        Interlocked.Exchange(ref _bytesFetched, 0);
        Interlocked.Exchange(ref _objectsPresent, 0);
        using var gate = _store.Open();

        var previous = _store.ReadRootFile(".cvmfspublished") is { } localBytes ? ParseLocal(localBytes) : null;
        var previousRevision = previous?.Manifest.Revision ?? 0;
        var (manifestBytes, whitelistBytes) = await DownloadEnsembleAsync(cancellationToken).ConfigureAwait(false);
        var upstream = SignedManifest.Parse(manifestBytes).Manifest;

        // Refuse a rollback before trusting anything else: a stale upstream must not take the mirror back in time.
        if (upstream.Revision < previousRevision)
        {
            throw new MirrorRefusedException($"The upstream serves revision {upstream.Revision}, older than revision {previousRevision} already mirrored.");
        }

        if (previous is not null && manifestBytes.AsSpan().SequenceEqual(_store.ReadRootFile(".cvmfspublished"))
            && whitelistBytes.AsSpan().SequenceEqual(_store.ReadRootFile(".cvmfswhitelist")))
        {
            return new MirrorResult(previousRevision, previousRevision, Progress) { UpToDate = true };
        }

        var work = Path.Combine(_store.Transactions, "work-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var completed = false;
        try
        {
            var source = new StagingSource(manifestBytes, whitelistBytes, _store, _fetcher, Fetched);
            var readerOptions = new RepositoryReaderOptions
            {
                RepositoryName = _options.Fqrn,
                MasterKeys = _options.MasterKeys,
                TimeProvider = _options.TimeProvider,
                WorkDirectory = work,
            };
            var reader = await RepositoryReader.OpenAsync(source, readerOptions, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var walk = new CatalogWalk(this, new ObjectFetcher(source, new ObjectFetcherOptions { TemporaryDirectory = work }), work);
                await walk.RunAsync(reader.RootCatalogHash, upstream.RootCatalogSize, cancellationToken).ConfigureAwait(false);
                if (_options.IncludeTaggedRevisions)
                {
                    foreach (var tag in await reader.ListTagsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        await walk.RunAsync(tag.RootCatalogHash, tag.RootCatalogSize, cancellationToken).ConfigureAwait(false);
                    }
                }

                // The manifest's own objects, then the whitelist, then the manifest that makes it all visible.
                foreach (var (hash, kind) in new[] { (upstream.CertificateHash, ObjectKind.Certificate), (upstream.HistoryHash, ObjectKind.History), (upstream.MetaInfoHash, ObjectKind.MetaInfo) })
                {
                    if (hash is { IsEmpty: false } h)
                    {
                        await EnsureObjectAsync(new ObjectId(h, kind), MaxStoredObject, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            await _store.WriteRootFileAsync(".cvmfswhitelist", whitelistBytes, cancellationToken).ConfigureAwait(false);
            await _store.WriteRootFileAsync(".cvmfspublished", manifestBytes, cancellationToken).ConfigureAwait(false);
            completed = true;
            return new MirrorResult(upstream.Revision, previousRevision, Progress);
        }
        finally
        {
            TryClean(completed);
        }
    }

    /// <summary>
    /// Synchronises, then re-checks the upstream every <paramref name="interval"/> until cancelled (or
    /// after <paramref name="maxRounds"/> rounds). A failed round is reported and retried next round;
    /// the mirror keeps serving its last complete revision meanwhile.
    /// </summary>
    public async Task WatchAsync(TimeSpan interval, int? maxRounds, Action<MirrorResult>? synced, Action<Exception>? failed, CancellationToken cancellationToken)
    {
        for (var round = 0; maxRounds is null || round < maxRounds; round++)
        {
            if (round > 0)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                synced?.Invoke(await SyncAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsSyncFailure(e))
            {
                failed?.Invoke(e);
            }
        }
    }

    /// <summary>Whether <paramref name="e"/> is a failed run (bad or unreachable upstream, local I/O) rather than a bug.</summary>
    public static bool IsSyncFailure(Exception e) =>
        e is IOException or MirrorRefusedException or CvmfsVerificationException or CvmfsFormatException or CvmfsNotFoundException or UnauthorizedAccessException;

    /// <inheritdoc />
    public void Dispose() => _fetcher.Dispose();

    private static SignedManifest ParseLocal(byte[] bytes)
    {
        try
        {
            return SignedManifest.Parse(bytes);
        }
        catch (CvmfsFormatException e)
        {
            throw new IOException($"The mirror's own .cvmfspublished is unreadable: {e.Message}", e);
        }
    }

    private async Task<(byte[] Manifest, byte[] Whitelist)> DownloadEnsembleAsync(CancellationToken cancellationToken)
    {
        // Both from the same upstream, so the whitelist is the one that upstream's manifest was published with.
        Exception? last = null;
        for (var i = 0; i < _fetcher.Mirrors.Count; i++)
        {
            try
            {
                return (await DownloadRootFileAsync(".cvmfspublished", i, cancellationToken).ConfigureAwait(false),
                    await DownloadRootFileAsync(".cvmfswhitelist", i, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or CvmfsNotFoundException)
            {
                last = e;
            }
        }

        throw new RepositoryUnavailableException($"No upstream delivered the manifest of {_options.Fqrn}: {last?.Message}", last);
    }

    private async Task<byte[]> DownloadRootFileAsync(string name, int mirror, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await _fetcher.DownloadAsync(name, null, MaxSignedFile, buffer, mirror, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private void Fetched(long bytes)
    {
        Interlocked.Increment(ref _objectsFetched);
        Interlocked.Add(ref _bytesFetched, bytes);
        _progress?.Invoke(Progress);
    }

    private void Present()
    {
        Interlocked.Increment(ref _objectsPresent);
    }

    private void TryClean(bool completed)
    {
        try
        {
            _store.Clean();
        }
        catch (IOException) when (!completed)
        {
            // Debris in data/txn is removed by the next run; the original failure matters more.
        }
    }
}
