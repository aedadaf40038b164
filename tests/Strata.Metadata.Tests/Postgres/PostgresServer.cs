using System.Diagnostics;
using Npgsql;

namespace Strata.Metadata.Tests.Postgres;

/// <summary>
/// The PostgreSQL the tests run against, found once per test run: <c>PG_CONNECTION</c> when set,
/// otherwise the project's own server, started by <c>scripts/services/start-postgres.sh</c> (idempotent:
/// a running one is reused). Never skips: when no server can be had, every test using it fails
/// with the reason.
/// </summary>
internal static class PostgresServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<(NpgsqlDataSource Admin, string ConnectionString)>> Server = new(ConnectAsync);

    /// <summary>
    /// A pooled data source on the server's default database, as the role the tests use (it has
    /// CREATEDB); for creating and dropping test databases.
    /// </summary>
    public static async Task<NpgsqlDataSource> GetAdminAsync() => (await Server.Value).Admin;

    /// <summary>
    /// The connection string of the server's default database, password included (a data source's own
    /// ConnectionString leaves it out).
    /// </summary>
    public static async Task<string> GetConnectionStringAsync() => (await Server.Value).ConnectionString;

    private static async Task<(NpgsqlDataSource Admin, string ConnectionString)> ConnectAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("PG_CONNECTION");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = await StartProjectServerAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "strata-tests", MaxPoolSize = 10 };
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
        }
        catch (Exception exception)
        {
            await dataSource.DisposeAsync();
            throw new InvalidOperationException(
                $"Cannot connect to the test PostgreSQL ({Redact(builder)}): {exception.Message}", exception);
        }

        return (dataSource, connectionString);
    }

    /// <summary>Runs the project's start script and reads its PG_CONNECTION line.</summary>
    private static async Task<string> StartProjectServerAsync()
    {
        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "scripts", "services", "start-postgres.sh");
        var start = new ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not run bash {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} did not finish within {StartTimeout}; stderr:\n{await stderr}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed (exit code {process.ExitCode}); PostgreSQL tests cannot run. stderr:\n{await stderr}");
        }

        var values = ParseKeyValues(await stdout);
        return values.TryGetValue("PG_CONNECTION", out var connectionString) && connectionString.Length > 0
            ? connectionString
            : throw new InvalidOperationException($"{script} printed no PG_CONNECTION line; stdout:\n{await stdout}\nstderr:\n{await stderr}");
    }

    /// <summary>KEY=value lines, with one pair of surrounding double quotes removed from the value.</summary>
    internal static Dictionary<string, string> ParseKeyValues(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..];
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            values[line[..equals]] = value;
        }

        return values;
    }

    /// <summary>The directory holding Strata.slnx, walking up from the test assembly.</summary>
    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Strata.slnx above {AppContext.BaseDirectory}; cannot find scripts/services/start-postgres.sh.");
    }

    private static string Redact(NpgsqlConnectionStringBuilder builder) =>
        $"Host={builder.Host};Port={builder.Port};Username={builder.Username};Database={builder.Database}";
}
