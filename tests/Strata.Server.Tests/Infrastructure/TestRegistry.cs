namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// One registry for a test class (through <see cref="RegistryFixture"/>) or a single test: a fresh
/// data directory, the server listening on a free loopback port, and an <see cref="HttpClient"/>
/// that does not follow redirects (the spec's Location headers are asserted, not followed).
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private IRegistryHost _host;
    private HttpClient _http;

    private TestRegistry(string dataDirectory, IReadOnlyDictionary<string, string?> settings, IRegistryHost host)
    {
        DataDirectory = dataDirectory;
        _settings = settings;
        _host = host;
        _http = CreateClient(host.BaseAddress);
        Client = new RegistryClient(_http);
    }

    /// <summary>The data directory of the server (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>True when the suite runs against <c>STRATA_CONFORMANCE_URL</c> instead of Strata.</summary>
    public bool IsExternal => _host is ExternalHost;

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>Helpers over the current connection; replaced by <see cref="RestartAsync"/>.</summary>
    public RegistryClient Client { get; private set; }

    public HttpClient Http => _http;

    public static async Task<TestRegistry> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new Dictionary<string, string?>();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "strata-conformance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        try
        {
            var host = await StartHostAsync(dataDirectory, settings, cancellationToken);
            return new TestRegistry(dataDirectory, settings, host);
        }
        catch
        {
            TryDeleteDirectory(dataDirectory);
            throw;
        }
    }

    /// <summary>
    /// Stops the server and starts a new one on the same data directory (the port changes, so
    /// URLs kept from before must be rebased with <see cref="Rebase"/>).
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsExternal)
        {
            throw new InvalidOperationException(
                $"This test restarts the registry and cannot run against {ExternalHost.EnvironmentVariable}.");
        }

        _http.Dispose();
        await _host.DisposeAsync();
        _host = await StartHostAsync(DataDirectory, _settings, cancellationToken);
        _http = CreateClient(_host.BaseAddress);
        Client = new RegistryClient(_http);
    }

    /// <summary>Moves a URL obtained before a restart onto the current base address.</summary>
    public Uri Rebase(Uri oldAbsoluteUri) => new(BaseAddress, oldAbsoluteUri.PathAndQuery);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        TryDeleteDirectory(DataDirectory);
    }

    private static async Task<IRegistryHost> StartHostAsync(
        string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var external = ExternalHost.FromEnvironment();
        if (external is not null)
        {
            return new ExternalHost(external);
        }

        return await StrataHost.StartAsync(dataDirectory, settings, cancellationToken);
    }

    private static HttpClient CreateClient(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(100),
        };
    }

    private static void TryDeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
