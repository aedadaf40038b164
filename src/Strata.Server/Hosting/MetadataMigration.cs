using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Strata.Metadata.Postgres;
using Strata.Metadata.Sqlite;

namespace Strata.Server.Hosting;

/// <summary>
/// <c>strata migrate</c>: brings the configured metadata store's schema to this build's version, as
/// a deliberate step (replicas with <c>Metadata:MigrateAtStart=false</c> refuse an older schema).
/// Reads the same configuration as <c>strata serve</c>. Safe to run at any time, also while replicas
/// run and from several places at once (migrations take an advisory lock and are one transaction).
/// </summary>
public static class MetadataMigration
{
    /// <summary>The configuration <c>strata serve</c> would see: strata.json or <c>Config</c>, STRATA__ variables, the command line, then <paramref name="settings"/>.</summary>
    public static IConfiguration LoadConfiguration(string[] args, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = new ConfigurationBuilder().SetBasePath(Directory.GetCurrentDirectory()).AddJsonFile("strata.json", optional: true);
        var file = settings.GetValueOrDefault("Config");
        if (!string.IsNullOrEmpty(file))
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        return builder.AddEnvironmentVariables("STRATA__").AddCommandLine(args).AddInMemoryCollection(settings).Build();
    }

    /// <summary>Migrates; returns one line saying what was done (no secrets).</summary>
    /// <exception cref="OptionsValidationException">The Metadata settings are invalid.</exception>
    /// <exception cref="StrataStartException">The database could not be reached or refused.</exception>
    public static async Task<string> MigrateAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var metadata = configuration.GetSection(MetadataOptions.Section).Get<MetadataOptions>() ?? new MetadataOptions();
        var problems = BackendOptionsValidator.Validate(new StorageOptions(), metadata, publishing: false, registryHost: null);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(MetadataOptions.Section, typeof(MetadataOptions), problems);
        }

        if (!metadata.IsPostgres)
        {
            var data = Path.GetFullPath(configuration.Get<StrataOptions>()?.Data ?? new StrataOptions().Data);
            var path = Path.Combine(data, "strata.db");
            Directory.CreateDirectory(data);
            await using var store = new SqliteMetadataStore(path, TimeProvider.System);
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return $"SQLite {path}: schema is current";
        }

        var where = Describe(metadata.ConnectionString!);
        try
        {
            var result = await PostgresMetadataStore.MigrateAsync(metadata.ConnectionString!, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return result.Migrated
                ? $"PostgreSQL {where}: schema migrated from version {result.PreviousVersion} to {result.CurrentVersion}"
                : $"PostgreSQL {where}: schema already at version {result.CurrentVersion}; nothing to do";
        }
        catch (MetadataStoreUnavailableException e)
        {
            throw new StrataStartException($"PostgreSQL {where} cannot be reached: {e.InnerException?.Message ?? e.Message}", e);
        }
        catch (PostgresException e)
        {
            throw new StrataStartException($"PostgreSQL {where} refused: {e.SqlState} {e.MessageText}", e);
        }
        catch (InvalidOperationException e)
        {
            // A schema newer than this build.
            throw new StrataStartException($"PostgreSQL {where}: {e.Message}", e);
        }
    }

    /// <summary>Host, port and database of a connection string: what the operator needs to see, and no password.</summary>
    internal static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }
}
