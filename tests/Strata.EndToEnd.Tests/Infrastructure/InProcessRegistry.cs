using Microsoft.AspNetCore.Builder;
using Strata.Server.Hosting;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>Strata in the test process, on a fresh data folder and a free loopback port.</summary>
public sealed class InProcessRegistry : IRegistryEndpoint, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _data;

    private InProcessRegistry(WebApplication app, TempDirectory data, Uri baseAddress)
    {
        _app = app;
        _data = data;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<InProcessRegistry> StartAsync()
    {
        var data = new TempDirectory("registry");
        WebApplication? app = null;
        try
        {
            app = StrataServer.Build([], new Dictionary<string, string?>
            {
                ["Data"] = data.Path,
                ["Listen"] = "127.0.0.1:0",
                ["Auth:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StartAsync(timeout.Token);
            return new InProcessRegistry(app, data, StrataServer.GetListeningUri(app));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            data.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        finally
        {
            _data.Dispose();
        }
    }
}
