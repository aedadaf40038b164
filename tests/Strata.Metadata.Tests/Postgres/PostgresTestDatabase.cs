using Npgsql;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

/// <summary>
/// A fresh database on the test server with a random name, dropped (with any session still open)
/// on dispose. Names start with <see cref="Prefix"/> and the creation time, so databases left by a
/// run that crashed are recognized and dropped by a later run.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Prefix = "strata_test_";
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);
    private static readonly Lazy<Task<string>> MigratedTemplate = new(CreateMigratedTemplateAsync);
    private static readonly Lock Gate = new();
    private static Task? s_leftoversDropped;
    private static Task<PostgresTestDatabase>? s_nextMigrated;

    private PostgresTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>Connects as the test role to this database, with no application name (the store sets its own).</summary>
    public string ConnectionString { get; }

    /// <summary>An empty database (no schema at all).</summary>
    /// <param name="options">Extra CREATE DATABASE options, e.g. a locale.</param>
    public static async Task<PostgresTestDatabase> CreateAsync(string options = "")
    {
        lock (Gate)
        {
            s_leftoversDropped ??= DropLeftoversAsync();
        }

        await s_leftoversDropped;
        return await CreateDatabaseAsync(options);
    }

    /// <summary>
    /// A fresh database that already has the latest schema, copied from a template migrated once per
    /// run (migrating costs about 330 ms here: some 30 DDL statements on a new database; migrating an
    /// empty database is tested on its own). The next copy is made while the current test runs, so a
    /// test class whose tests run one after another does not wait for CREATE DATABASE either.
    /// </summary>
    public static Task<PostgresTestDatabase> CreateMigratedAsync()
    {
        lock (Gate)
        {
            var current = s_nextMigrated ?? CopyMigratedTemplateAsync();
            s_nextMigrated = current.ContinueWith(_ => CopyMigratedTemplateAsync(), TaskScheduler.Default).Unwrap();
            return current;
        }
    }

    /// <summary>A connection to this database for a test's own SQL (application name "strata-tests", not pooled).</summary>
    public async Task<NpgsqlConnection> OpenRawAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = "strata-tests", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync() => await DropAsync(Name);

    private static async Task<PostgresTestDatabase> CreateDatabaseAsync(string options)
    {
        var admin = await PostgresServer.GetAdminAsync();
        var name = $"{Prefix}{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}_{Guid.NewGuid():N}";
        await using (var command = admin.CreateCommand($"CREATE DATABASE \"{name}\" {options}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(await PostgresServer.GetConnectionStringAsync()) { Database = name, ApplicationName = null };
        return new PostgresTestDatabase(name, builder.ConnectionString);
    }

    private static async Task<PostgresTestDatabase> CopyMigratedTemplateAsync()
    {
        var template = await MigratedTemplate.Value;

        // FILE_COPY: faster than the default WAL_LOG copy of a small database (checkpoints are cheap with fsync off).
        return await CreateDatabaseAsync($"TEMPLATE \"{template}\" STRATEGY FILE_COPY");
    }

    private static async Task<string> CreateMigratedTemplateAsync()
    {
        var template = await CreateAsync();

        // Over a connection closed afterwards: nobody may be connected to a template while it is copied.
        var builder = new NpgsqlConnectionStringBuilder(template.ConnectionString) { Pooling = false };
        await PostgresMetadataStore.MigrateAsync(builder.ConnectionString, TimeProvider.System, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAtExit(template.Name);
        return template.Name;
    }

    /// <summary>Best effort: the template and the copy made for a test that never came; a later run's sweep gets what is left.</summary>
    private static void DropAtExit(string template)
    {
        try
        {
            var drops = new List<Task> { DropAsync(template) };
            if (s_nextMigrated is { IsCompletedSuccessfully: true } next)
            {
                drops.Add(DropAsync(next.Result.Name));
            }

            Task.WaitAll([.. drops], TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Left for the sweep.
        }
    }

    /// <summary>
    /// Drops the database, ending its sessions. Retried for a few seconds: FORCE cannot end an
    /// autovacuum worker for a role that is not superuser (42501), and such a worker is soon done.
    /// </summary>
    private static async Task DropAsync(string name)
    {
        var admin = await PostgresServer.GetAdminAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException exception) when (attempt < 50 && exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Drops test databases over an hour old: left by runs that crashed (a running test never lasts that long).</summary>
    private static async Task DropLeftoversAsync()
    {
        var admin = await PostgresServer.GetAdminAsync();
        var leftovers = new List<string>();
        await using (var command = admin.CreateCommand($"SELECT datname FROM pg_database WHERE datname LIKE '{Prefix}%'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                leftovers.Add(reader.GetString(0));
            }
        }

        var cutoff = DateTimeOffset.UtcNow - LeftoverAge;
        foreach (var name in leftovers)
        {
            if (long.TryParse(name[Prefix.Length..].Split('_')[0], out var seconds) && DateTimeOffset.FromUnixTimeSeconds(seconds) < cutoff)
            {
                await DropAsync(name);
            }
        }
    }
}
