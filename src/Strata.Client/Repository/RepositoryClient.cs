using Strata.Client.Cache;
using Strata.Client.Network;
using Strata.Cvmfs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Repository;

/// <summary>
/// A repository as the client sees it: the current verified revision (re-checked after its TTL, with
/// older revisions refused), the shared cache and the mirrors. FUSE and checkout both build on it.
/// </summary>
public sealed partial class RepositoryClient : IAsyncDisposable
{
    private const int MaxSignedFile = 64 * 1024;
    private readonly ClientOptions _options;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private RevisionView _current;
    private DateTimeOffset _nextCheck;

    private RepositoryClient(ClientOptions options, ObjectCache cache, HttpFetcher fetcher, RepositoryState state, ClientStatistics statistics, RevisionView current)
    {
        _options = options;
        Cache = cache;
        Fetcher = fetcher;
        State = state;
        Statistics = statistics;
        _current = current;
        _nextCheck = NextCheckAfter(current);
    }

    /// <summary>The repository name.</summary>
    public string Fqrn => _options.Fqrn;

    /// <summary>The shared cache.</summary>
    public ObjectCache Cache { get; }

    /// <summary>The mirrors and proxies.</summary>
    public HttpFetcher Fetcher { get; }

    /// <summary>Persistent per-repository state in the cache.</summary>
    public RepositoryState State { get; }

    /// <summary>Counters.</summary>
    public ClientStatistics Statistics { get; }

    /// <summary>The options this client was opened with.</summary>
    public ClientOptions Options => _options;

    /// <summary>The revision served now (without checking for a newer one).</summary>
    public RevisionView Current => Volatile.Read(ref _current);

    /// <summary>Opens a repository: verifies the newest acceptable manifest from the mirrors (or the cache when offline).</summary>
    public static async Task<RepositoryClient> OpenAsync(ClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var statistics = new ClientStatistics();
        var cache = new ObjectCache(options.Cache, statistics);
        var fetcher = new HttpFetcher([.. options.Mirrors.Select(m => m.Url)], options.Network, statistics);
        try
        {
            var state = new RepositoryState(cache.RepositoryDirectory(options.Fqrn));
            var view = await LoadNewestAsync(options, cache, fetcher, state, null, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("No revision could be loaded.");
            return new RepositoryClient(options, cache, fetcher, state, statistics, view);
        }
        catch
        {
            fetcher.Dispose();
            cache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The revision to serve: the current one, or a newer one when the TTL has passed and a mirror has
    /// it. Never fails for network reasons: without a newer revision the current one stays.
    /// </summary>
    public async Task<RevisionView> GetRevisionAsync(CancellationToken cancellationToken)
    {
        var current = Current;
        if (_options.Tag is not null || _options.TimeProvider.GetUtcNow() < _nextCheck)
        {
            return current;
        }

        // Only one caller checks; the others keep using the current revision meanwhile.
        if (!await _refreshGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return current;
        }

        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            return Current;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>
    /// Like <see cref="GetRevisionAsync"/>, with a reference taken so the revision cannot be closed
    /// by a concurrent switch while the caller uses it; release it with <see cref="RevisionView.ReleaseAsync"/>.
    /// </summary>
    public async Task<RevisionView> AcquireRevisionAsync(CancellationToken cancellationToken)
    {
        var view = await GetRevisionAsync(cancellationToken).ConfigureAwait(false);
        while (!view.TryAddReference())
        {
            view = Current;
        }

        return view;
    }

    /// <summary>Checks the mirrors for a newer revision now, and switches to it when there is one.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var current = Current;
        RevisionView? next;
        try
        {
            next = await LoadNewestAsync(_options, Cache, Fetcher, State, current, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or CvmfsVerificationException or CvmfsFormatException or CvmfsNotFoundException or InvalidOperationException)
        {
            // Keep serving what we have; try again sooner than a full TTL.
            _nextCheck = _options.TimeProvider.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(60, TtlOf(current).TotalSeconds));
            return false;
        }

        if (next is null)
        {
            _nextCheck = NextCheckAfter(current);
            return false;
        }

        Volatile.Write(ref _current, next);
        _nextCheck = NextCheckAfter(next);
        await current.ReleaseAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes this process's status file (counters, cache use, revision) and returns its path.</summary>
    public string WriteStatus(string? mountpoint)
    {
        var view = Current;
        var json = Statistics.ToJson(new Dictionary<string, object?>
        {
            ["fqrn"] = Fqrn,
            ["pid"] = Environment.ProcessId,
            ["mountpoint"] = mountpoint,
            ["revision"] = view.Revision,
            ["manifest_revision"] = view.ManifestRevision,
            ["root_hash"] = view.RootHash,
            ["offline"] = view.Offline,
            ["mirror"] = view.Mirror >= 0 ? Fetcher.Mirrors[view.Mirror].AbsoluteUri : null,
            ["cache_bytes"] = Cache.UsedBytes,
            ["cache_entries"] = Cache.EntryCount,
            ["cache_quota_bytes"] = Cache.QuotaBytes,
            ["updated"] = _options.TimeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });
        return State.WriteStatus(json);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Current.ReleaseAsync().ConfigureAwait(false);
        Fetcher.Dispose();
        Cache.Dispose();
        _refreshGate.Dispose();
    }

    private DateTimeOffset NextCheckAfter(RevisionView view) => view.LoadedAt + TtlOf(view);

    private TimeSpan TtlOf(RevisionView view)
    {
        if (view.Offline)
        {
            // Offline: look for the network again soon.
            return TimeSpan.FromSeconds(30);
        }

        return _options.RevisionCheckInterval ?? TimeSpan.FromSeconds(Math.Clamp(view.Reader.Manifest.Manifest.TtlSeconds, 1, 24 * 3600));
    }
}
