using Microsoft.AspNetCore.Builder;
using Strata.ScaleOut.Tests.S3Postgres;
using Strata.Server.Hosting;

// The namespace of the registry it replaces: the skopeo round trips of tests/Strata.EndToEnd.Tests
// are compiled into this project (see the .csproj) with this file instead of its InProcessRegistry.cs.
namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Strata in the test process on S3 + PostgreSQL (<see cref="S3PostgresBackend"/>), for the
/// end-to-end skopeo tests; the filesystem + SQLite original is tests/Strata.EndToEnd.Tests.
/// </summary>
public sealed class InProcessRegistry : IRegistryEndpoint, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly S3PostgresBackend _backend;
    private readonly TempDirectory _data;

    private InProcessRegistry(WebApplication app, S3PostgresBackend backend, TempDirectory data, Uri baseAddress)
    {
        _app = app;
        _backend = backend;
        _data = data;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<InProcessRegistry> StartAsync()
    {
        var backend = await S3PostgresBackend.CreateAsync();
        var data = new TempDirectory("registry");
        WebApplication? app = null;
        try
        {
            var settings = backend.Settings();
            settings["Data"] = data.Path;
            settings["Listen"] = "127.0.0.1:0";
            settings["Auth:Enabled"] = "false";
            settings["Logging:LogLevel:Default"] = "Warning";
            settings["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
            app = StrataServer.Build([], settings);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.StartAsync(timeout.Token);
            return new InProcessRegistry(app, backend, data, StrataServer.GetListeningUri(app));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            data.Dispose();
            await backend.DisposeAsync();
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
            await _backend.DisposeAsync();
        }
    }
}
