using System.Globalization;
using Npgsql;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.Metadata.Tests.Postgres;
using Strata.Publish.Repository;
using Strata.Storage.S3;
using Strata.Storage.Tests.S3;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>
/// What replicas of one deployment share: a fresh PostgreSQL database on the project's server and
/// a fresh folder (key prefix) in the project's S3 bucket, plus one set of CernVM-FS keys that every
/// replica gets a copy of (as an operator would distribute them). Each replica has its own data
/// folder. Everything is removed on dispose.
/// </summary>
public sealed class ReplicaCluster : IAsyncDisposable
{
    public const string RepositoryName = "unpacked.strata.local";

    /// <summary>The name clients use for the fleet (the load balancer's), the same for every replica.</summary>
    public const string RegistryHost = "registry.scaleout.test";

    private readonly PostgresTestDatabase _database;
    private readonly TempDirectory _root;
    private readonly string _s3Folder;
    private readonly List<IAsyncDisposable> _replicas = [];
    private int _next;

    private ReplicaCluster(PostgresTestDatabase database, TempDirectory root, string s3Folder)
    {
        _database = database;
        _root = root;
        _s3Folder = s3Folder;
        KeysDirectory = root.CreateDirectory("keys");
        RepositoryKeys.LoadOrCreate(KeysDirectory, RepositoryName).Dispose();
    }

    /// <summary>The shared database's connection string (password included).</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>The keys every replica signs with.</summary>
    public string KeysDirectory { get; }

    /// <summary>S3 settings of the shared store, as <c>Storage:S3:*</c> would give them.</summary>
    public S3DriverOptions S3 => S3TestServer.Instance.Options($"scaleout/{_s3Folder}");

    /// <param name="migrated">False: an empty database (no schema), for the migration tests.</param>
    public static async Task<ReplicaCluster> CreateAsync(bool migrated = true)
    {
        var database = migrated ? await PostgresTestDatabase.CreateMigratedAsync() : await PostgresTestDatabase.CreateAsync();
        return new ReplicaCluster(database, new TempDirectory("scaleout"), Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>
    /// The configuration of a new replica: S3 + PostgreSQL, its own data folder (holding a copy of
    /// the keys), publication on under the fleet's host name, and <paramref name="extra"/> on top.
    /// </summary>
    public Dictionary<string, string?> NewReplicaSettings(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var data = _root.CreateDirectory($"replica-{Interlocked.Increment(ref _next)}");
        CopyDirectory(KeysDirectory, Path.Combine(data, "keys"));
        var s3 = S3;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Data"] = data,
            ["Listen"] = "127.0.0.1:0",
            ["Storage:Driver"] = "s3",
            ["Storage:S3:ServiceUrl"] = s3.ServiceUrl,
            ["Storage:S3:Region"] = s3.Region,
            ["Storage:S3:Bucket"] = s3.Bucket,
            ["Storage:S3:Prefix"] = s3.Prefix,
            ["Storage:S3:AccessKey"] = s3.AccessKey,
            ["Storage:S3:SecretKey"] = s3.SecretKey,
            ["Storage:S3:PartSize"] = s3.PartSize.ToString(CultureInfo.InvariantCulture),
            ["Storage:S3:MaxErrorRetry"] = "2",
            ["Metadata:Provider"] = "postgres",
            ["Metadata:ConnectionString"] = ConnectionString,
            // Open registries: access control across replicas is not what these tests are about.
            ["Auth:Enabled"] = "false",
            ["Publish:RegistryHost"] = RegistryHost,
            ["Publish:Repository"] = RepositoryName,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task<InProcessReplica> StartInProcessAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var replica = await InProcessReplica.StartAsync(NewReplicaSettings(extra));
        _replicas.Add(replica);
        return replica;
    }

    public async Task<ReplicaProcess> StartProcessAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var replica = await ReplicaProcess.StartAsync(NewReplicaSettings(extra));
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>A connection to the shared database for the test's own questions (not pooled).</summary>
    public Task<NpgsqlConnection> OpenDatabaseAsync() => _database.OpenRawAsync();

    /// <summary>One value from the shared database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Enumerable.Reverse(_replicas))
        {
            await replica.DisposeAsync();
        }

        try
        {
            await S3TestServer.Instance.CleanAsync("scaleout", _s3Folder);
        }
        finally
        {
            await _database.DisposeAsync();
            _root.Dispose();
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
    }
}
