using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Strata.Cvmfs;
using Strata.Cvmfs.Objects;

namespace Strata.Client.Network;

/// <summary>
/// Downloads repository files from an ordered list of mirrors through a CernVM-FS proxy chain.
/// A failure of the proxy moves on to the next proxy; an error from the mirror (HTTP status, or a
/// corrupt object after a <c>no-cache</c> retry) moves on to the next mirror. The mirror and proxy
/// that last worked are tried first next time, as the cvmfs client does. When a whole round fails,
/// the next round starts after an exponential back-off.
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    private const int BufferSize = 128 * 1024;

    private readonly IReadOnlyList<Uri> _mirrors;
    private readonly NetworkOptions _options;
    private readonly ClientStatistics _statistics;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _currentMirror;
    private Uri? _currentProxy;
    private bool _proxyChosen;

    public HttpFetcher(IReadOnlyList<Uri> mirrors, NetworkOptions options, ClientStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(mirrors);
        if (mirrors.Count == 0)
        {
            throw new ArgumentException("At least one repository URL is needed.", nameof(mirrors));
        }

        _mirrors = [.. mirrors.Select(m => m.AbsoluteUri.EndsWith('/') ? m : new Uri(m.AbsoluteUri + "/"))];
        _options = options;
        _statistics = statistics;
    }

    /// <summary>The mirrors, in configured order.</summary>
    public IReadOnlyList<Uri> Mirrors => _mirrors;

    /// <summary>Index of the mirror currently preferred.</summary>
    public int CurrentMirror => Volatile.Read(ref _currentMirror);

    /// <summary>
    /// Downloads <paramref name="path"/> (relative to the repository URL) into <paramref name="destination"/>
    /// (rewound and truncated before each attempt). With <paramref name="expected"/>, the bytes must
    /// hash to it: a mismatch is retried once with <c>Cache-Control: no-cache</c> (a proxy may hold a
    /// corrupt copy), then the next mirror is asked. Only <paramref name="onlyMirror"/> is asked when given.
    /// Returns the index of the mirror that delivered.
    /// </summary>
    public async Task<int> DownloadAsync(string path, ContentHash? expected, long maxBytes, Stream destination, int? onlyMirror, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(destination);
        Exception? last = null;
        var notFound = 0;
        var delay = _options.BackoffInitial;
        for (var round = 0; round <= _options.MaxRetries; round++)
        {
            if (round > 0)
            {
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds / 2);
                await Task.Delay(delay + jitter, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.BackoffMax.Ticks));
            }

            notFound = 0;
            var mirrors = MirrorOrder(onlyMirror);
            foreach (var mirror in mirrors)
            {
                var outcome = await TryMirrorAsync(mirror, path, expected, maxBytes, destination, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is null)
                {
                    if (onlyMirror is null)
                    {
                        Volatile.Write(ref _currentMirror, mirror);
                    }

                    return mirror;
                }

                last = outcome.Error;
                if (outcome.NotFound)
                {
                    notFound++;
                }
            }

            // Every mirror answered "not there": retrying will not make it appear.
            if (notFound == mirrors.Count)
            {
                break;
            }
        }

        if (notFound > 0 && notFound == MirrorOrder(onlyMirror).Count)
        {
            throw last is null ? new CvmfsNotFoundException(path) : new CvmfsNotFoundException(path, last);
        }

        throw new RepositoryUnavailableException($"No mirror delivered {path}: {last?.Message}", last);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }

    private List<int> MirrorOrder(int? onlyMirror)
    {
        if (onlyMirror is int only)
        {
            return [only];
        }

        var start = CurrentMirror;
        return [.. Enumerable.Range(0, _mirrors.Count).Select(i => (start + i) % _mirrors.Count)];
    }

    private List<Uri?> ProxyOrder()
    {
        var order = _options.Proxies.Order(Random.Shared).ToList();
        lock (_gate)
        {
            // Stay with the proxy that worked last (cvmfs only switches proxy on failure).
            if (_proxyChosen && order.Remove(_currentProxy))
            {
                order.Insert(0, _currentProxy);
            }
        }

        return order;
    }

    private async Task<(Exception? Error, bool NotFound)> TryMirrorAsync(int mirror, string path, ContentHash? expected, long maxBytes, Stream destination, CancellationToken cancellationToken)
    {
        var url = new Uri(_mirrors[mirror], path);
        Exception? last = null;
        foreach (var proxy in ProxyOrder())
        {
            for (var noCache = false; ; noCache = true)
            {
                var result = await TryOnceAsync(url, proxy, noCache, expected, maxBytes, destination, cancellationToken).ConfigureAwait(false);
                switch (result.Kind)
                {
                    case AttemptResult.Success:
                        lock (_gate)
                        {
                            _currentProxy = proxy;
                            _proxyChosen = true;
                        }

                        return (null, false);
                    case AttemptResult.Corrupt when !noCache:
                        // A proxy may serve a corrupt copy from its cache: ask it to refetch (cvmfs does the same).
                        _statistics.Corrupt();
                        continue;
                    case AttemptResult.Corrupt:
                        _statistics.Corrupt();
                        return (result.Error, false);
                    case AttemptResult.MirrorError:
                        return (result.Error, result.NotFound);
                    default:
                        // The proxy (or the direct connection) failed: next proxy.
                        last = result.Error;
                        break;
                }

                break;
            }
        }

        return (last ?? new RepositoryUnavailableException($"No proxy reached {url}."), false);
    }

    private async Task<Attempt> TryOnceAsync(Uri url, Uri? proxy, bool noCache, ContentHash? expected, long maxBytes, Stream destination, CancellationToken cancellationToken)
    {
        destination.Position = 0;
        destination.SetLength(0);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (noCache)
        {
            request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            request.Headers.Pragma.Add(new NameValueHeaderValue("no-cache"));
        }

        try
        {
            using var response = await Client(proxy).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _statistics.AttemptFailed();

                // Through a proxy, 502/503/504 are the proxy's failure to reach the mirror: still a mirror problem.
                var notFound = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone;
                return new Attempt(AttemptResult.MirrorError, new HttpRequestException($"{url} answered {(int)response.StatusCode}.", null, response.StatusCode), notFound);
            }

            var body = await response.Content.ReadAsStreamAsync(attempt.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                using var hasher = expected is { } e ? ContentHasher.Create(e.Algorithm) : null;
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    long total = 0;
                    while (true)
                    {
                        // A stall timeout rather than a total one: large objects may take long, silence may not.
                        attempt.CancelAfter(_options.Timeout);
                        var n = await body.ReadAsync(buffer.AsMemory(0, BufferSize), attempt.Token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        total += n;
                        if (total > maxBytes)
                        {
                            _statistics.AttemptFailed();
                            return new Attempt(AttemptResult.Corrupt, new CvmfsVerificationException(Strata.Cvmfs.VerificationFailure.SizeLimitExceeded, $"{url} is larger than {maxBytes} bytes."), false);
                        }

                        hasher?.Append(buffer.AsSpan(0, n));
                        await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    }

                    _statistics.Fetched(total);
                    if (hasher is not null && hasher.Finish() is var actual && actual != expected!.Value)
                    {
                        return new Attempt(AttemptResult.Corrupt, new CvmfsVerificationException(Strata.Cvmfs.VerificationFailure.ObjectHashMismatch, $"{url} hashes to {actual}, not {expected}."), false);
                    }

                    await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return new Attempt(AttemptResult.Success, null, false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
        {
            _statistics.AttemptFailed();
            return new Attempt(AttemptResult.ProxyError, e is OperationCanceledException ? new TimeoutException($"{url} timed out after {_options.Timeout.TotalSeconds:0.#} s.", e) : e, false);
        }
    }

    private HttpClient Client(Uri? proxy)
    {
        var key = proxy?.AbsoluteUri ?? "DIRECT";
        lock (_gate)
        {
            if (_clients.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = _options.Timeout,
                UseProxy = proxy is not null,
                Proxy = proxy is null ? null : new WebProxy(proxy),

                // cvmfs follows no redirects unless told to; a redirect is a misconfigured mirror.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                MaxConnectionsPerServer = 16,
            };
            var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
            client.DefaultRequestHeaders.Connection.Add("keep-alive");
            _clients[key] = client;
            return client;
        }
    }

    private enum AttemptResult
    {
        Success,
        ProxyError,
        MirrorError,
        Corrupt,
    }

    private readonly record struct Attempt(AttemptResult Kind, Exception? Error, bool NotFound);
}
