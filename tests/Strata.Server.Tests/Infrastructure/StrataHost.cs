using Microsoft.AspNetCore.Builder;
using Strata.Server.Hosting;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// The in-process Strata registry under test: <see cref="StrataServer.Build"/> on a data directory,
/// listening on a free loopback port. This is the only file that touches the server's API; every
/// test talks to it over real HTTP.
/// </summary>
internal sealed class StrataHost : IRegistryHost
{
    private readonly WebApplication _app;

    private StrataHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<IRegistryHost> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Data"] = dataDirectory,
            ["Listen"] = "127.0.0.1:0",
            // The conformance suite runs against an open registry; access control has its own tests (Auth/).
            ["Auth:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = StrataServer.Build([], all);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new StrataHost(app, StrataServer.GetListeningUri(app));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
