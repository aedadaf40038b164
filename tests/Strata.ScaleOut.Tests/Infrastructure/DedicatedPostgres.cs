using System.Net;
using System.Net.Sockets;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.Metadata.Tests.Postgres;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL of the test's own (scripts/services/start-postgres.sh with its own PG_DIR and a free
/// port), which the test may stop and start: the shared server is never stopped, other tests use it.
/// Stopped and wiped on dispose.
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);
    private readonly Dictionary<string, string?> _environment;

    private DedicatedPostgres(Dictionary<string, string?> environment, string connectionString)
    {
        _environment = environment;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var environment = new Dictionary<string, string?>
        {
            ["PG_DIR"] = $"/var/tmp/strata-scaleout-pg-{Guid.NewGuid():N}",
            ["PG_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var result = await RunScriptAsync("start-postgres.sh", environment);
        var values = PostgresServer.ParseKeyValues(result.StandardOutput);
        return new DedicatedPostgres(environment, values["PG_CONNECTION"]);
    }

    /// <summary>A fast shutdown: every session is closed and new connections are refused.</summary>
    public async Task StopAsync() => await RunScriptAsync("stop-postgres.sh", _environment);

    /// <summary>Starts the same cluster again, on the same port.</summary>
    public async Task RestartAsync() => await RunScriptAsync("start-postgres.sh", _environment);

    public async ValueTask DisposeAsync() =>
        await RunScriptAsync("stop-postgres.sh", new Dictionary<string, string?>(_environment) { ["PG_WIPE"] = "1" });

    private static async Task<ProcessResult> RunScriptAsync(string script, IReadOnlyDictionary<string, string?> environment)
    {
        var path = Path.Combine(RepositoryRoot(), "scripts", "services", script);
        var spec = new ProcessSpec("bash", [path]) { Environment = environment };
        return (await ProcessRunner.RunAsync(spec, ScriptTimeout)).EnsureSuccess();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Strata.slnx above {AppContext.BaseDirectory}.");
    }
}
