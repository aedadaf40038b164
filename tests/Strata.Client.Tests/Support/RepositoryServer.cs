using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Strata.Client.Tests.Support;

/// <summary>
/// A tiny HTTP/1.1 static server for a repository directory on 127.0.0.1, with faults the tests
/// switch on: replace a file's bytes (an older manifest), corrupt an object, hang, or die.
/// Serves <c>/cvmfs/&lt;fqrn&gt;/…</c> from <see cref="Root"/>.
/// </summary>
internal sealed class RepositoryServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private readonly ConcurrentDictionary<string, byte[]> _overrides = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _corrupt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, bool NoCache)> _requests = new();
    private readonly Task _accepting;
    private int _disposed;

    public RepositoryServer(string root, string fqrn = TestVectors.RepositoryName)
    {
        Root = root;
        Fqrn = fqrn;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync();
    }

    public string Root { get; }

    public string Fqrn { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/cvmfs/{Fqrn}";

    /// <summary>Never answer (a black hole): requests time out.</summary>
    public bool Hang { get; set; }

    /// <summary>Corrupt copies are fixed when the client asks with <c>Cache-Control: no-cache</c> (like a proxy refetching).</summary>
    public bool CorruptionFixedByNoCache { get; set; }

    /// <summary>Every request path (relative to the repository), in arrival order.</summary>
    public IReadOnlyList<(string Path, bool NoCache)> Requests => [.. _requests];

    public int CountRequests(string relativePath) => _requests.Count(r => r.Path == relativePath);

    /// <summary>Serve <paramref name="bytes"/> for <paramref name="relativePath"/> instead of the file.</summary>
    public void Override(string relativePath, byte[] bytes) => _overrides[relativePath] = bytes;

    public void ClearOverride(string relativePath) => _overrides.TryRemove(relativePath, out _);

    /// <summary>Serve <paramref name="relativePath"/> with one byte flipped.</summary>
    public void Corrupt(string relativePath) => _corrupt[relativePath] = 0;

    /// <summary>Stops listening and drops every connection, like a server that died.</summary>
    public void Kill()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _connections.Keys)
        {
            client.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _connections[client] = 0;
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII, false, 8192, leaveOpen: true);
                while (!_stop.IsCancellationRequested)
                {
                    var requestLine = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                    if (string.IsNullOrEmpty(requestLine))
                    {
                        return;
                    }

                    var noCache = false;
                    string? header;
                    while (!string.IsNullOrEmpty(header = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false)))
                    {
                        if (header.StartsWith("Cache-Control:", StringComparison.OrdinalIgnoreCase) && header.Contains("no-cache", StringComparison.OrdinalIgnoreCase))
                        {
                            noCache = true;
                        }
                    }

                    var target = requestLine.Split(' ')[1];
                    if (Uri.TryCreate(target, UriKind.Absolute, out var absolute))
                    {
                        // Through a proxy the request line carries the whole URL.
                        target = absolute.AbsolutePath;
                    }

                    var prefix = $"/cvmfs/{Fqrn}/";
                    var relative = target.StartsWith(prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(target[prefix.Length..]) : null;
                    if (relative is not null)
                    {
                        _requests.Enqueue((relative, noCache));
                    }

                    if (Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                    }

                    var body = relative is null ? null : Load(relative, noCache);

                    // The caching rules of a CernVM-FS web server (and of Strata.Server): objects are
                    // immutable, the manifest and other dot files may be cached for 61 s.
                    var cacheControl = relative is not null && relative.StartsWith("data/", StringComparison.Ordinal) ? "public, max-age=259200, immutable" : "public, max-age=61";
                    var head = body is null
                        ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n"
                        : $"HTTP/1.1 200 OK\r\nDate: {DateTimeOffset.UtcNow:R}\r\nContent-Type: application/x-cvmfs\r\nContent-Length: {body.Length}\r\nCache-Control: {cacheControl}\r\nConnection: keep-alive\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token).ConfigureAwait(false);
                    if (body is not null)
                    {
                        await stream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            _connections.TryRemove(client, out _);
        }
    }

    private byte[]? Load(string relative, bool noCache)
    {
        if (relative.Split('/').Any(p => p is "" or "." or ".."))
        {
            return null;
        }

        if (_overrides.TryGetValue(relative, out var replaced))
        {
            return replaced;
        }

        var path = Path.Combine(Root, relative);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (_corrupt.ContainsKey(relative) && !(noCache && CorruptionFixedByNoCache) && bytes.Length > 0)
        {
            bytes[bytes.Length / 2] ^= 0x5a;
        }

        return bytes;
    }
}
