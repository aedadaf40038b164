using Microsoft.AspNetCore.Builder;
using Strata.ScaleOut.Tests.S3Postgres;
using Strata.Server.Hosting;

// The namespace of the host it replaces: the OCI conformance suite of tests/Strata.Server.Tests is
// compiled into this project (see the .csproj) with this file instead of its StrataHost.cs.
namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// The conformance suite's registry under test, on S3 + PostgreSQL: the same in-process
/// <see cref="StrataServer.Build"/> as tests/Strata.Server.Tests/Infrastructure/StrataHost.cs, with
/// a fresh database and bucket folder (<see cref="S3PostgresBackend"/>) per server, removed with it.
/// A restart would get new ones, so the suite's Persistence tests are not compiled here (restarts on
/// S3 + PostgreSQL are what the replica tests do).
/// </summary>
internal sealed class StrataHost : IRegistryHost
{
    private readonly WebApplication _app;
    private readonly S3PostgresBackend _backend;

    private StrataHost(WebApplication app, S3PostgresBackend backend, Uri baseAddress)
    {
        _app = app;
        _backend = backend;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<IRegistryHost> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var backend = await S3PostgresBackend.CreateAsync();
        var all = backend.Settings();
        all["Data"] = dataDirectory;
        all["Listen"] = "127.0.0.1:0";
        all["Auth:Enabled"] = "false";
        all["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        WebApplication? app = null;
        try
        {
            app = StrataServer.Build([], all);
            await app.StartAsync(cancellationToken);
            return new StrataHost(app, backend, StrataServer.GetListeningUri(app));
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

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
        }
        finally
        {
            await _app.DisposeAsync();
            await _backend.DisposeAsync();
        }
    }
}
