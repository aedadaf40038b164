using Npgsql;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

public sealed partial class PostgresMetadataStoreTests
{
    [Fact]
    public async Task MigrateAsync_on_an_empty_database_creates_the_latest_schema_and_a_rerun_changes_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();

        var first = await PostgresMetadataStore.MigrateAsync(database.ConnectionString, Clock, Ct);
        var appliedAt = await ScalarAsync<long>(database, "SELECT MAX(applied_at) FROM schema_version");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await PostgresMetadataStore.MigrateAsync(database.ConnectionString, Clock, Ct);

        Assert.Equal(new PostgresMigrationResult(0, PostgresMetadataStore.LatestSchemaVersion), first);
        Assert.True(first.Migrated);
        Assert.Equal(new PostgresMigrationResult(PostgresMetadataStore.LatestSchemaVersion, PostgresMetadataStore.LatestSchemaVersion), second);
        Assert.False(second.Migrated);
        Assert.Equal(PostgresSchema.Migrations.Count, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(appliedAt, await ScalarAsync<long>(database, "SELECT MAX(applied_at) FROM schema_version"));
        Assert.Equal(TestData.Epoch.ToUnixTimeMilliseconds(), appliedAt);
        Assert.Equal(
            "audit_log,blobs,gc_blob_reviews,gc_manifest_reviews,gc_runs,jobs,manifest_blob_references,manifest_manifest_references,manifests,outbox,outbox_cursors,project_members,projects,repositories,repository_blobs,robot_permissions,robots,schema_version,tags,upload_sessions,users",
            await ScalarAsync<string>(database, "SELECT string_agg(tablename, ',' ORDER BY tablename COLLATE \"C\") FROM pg_tables WHERE schemaname = 'public'"));

        // A store over the migrated database works, and initializing it migrates nothing more.
        await using var store = new PostgresMetadataStore(database.ConnectionString, Clock);
        await store.InitializeAsync(Ct);
        await PushImageAsync(store, "r", "img", "latest");
        Assert.Equal(PostgresSchema.Migrations.Count, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task Concurrent_InitializeAsync_of_three_stores_on_an_empty_database_migrates_once()
    {
        // A few rounds: the race (replicas starting together) is over in milliseconds.
        for (var round = 0; round < 3; round++)
        {
            await using var database = await PostgresTestDatabase.CreateAsync();
            var stores = Enumerable.Range(0, 3).Select(_ => new PostgresMetadataStore(database.ConnectionString, Clock)).ToList();
            try
            {
                using var start = new Barrier(stores.Count);
                await Task.WhenAll(stores.Select(store => Task.Run(async () =>
                {
                    start.SignalAndWait();
                    await store.InitializeAsync(Ct);
                })));

                Assert.Equal(PostgresSchema.Migrations.Count, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM schema_version"));
                Assert.Equal(PostgresSchema.LatestVersion, await ScalarAsync<int>(database, "SELECT MAX(version) FROM schema_version"));
                await Task.WhenAll(stores.Select((store, i) => PushImageAsync(store, "r", $"img{i}", $"t{i}")));
                Assert.Equal(3, (await stores[0].ListTagsAsync("r", null, 10, Ct)).Count);
            }
            finally
            {
                foreach (var store in stores)
                {
                    await store.DisposeAsync();
                }
            }
        }
    }

    [Fact]
    public async Task InitializeAsync_upgrades_a_version_1_database()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await ExecuteAsync(database, $"""
            {PostgresSchema.CreateVersionTable};
            {PostgresSchema.Migrations[0].Sql}
            INSERT INTO schema_version (version, applied_at) VALUES (1, 0);
            INSERT INTO repositories (name, created_at) VALUES ('kept', 0);
            """);

        await using var store = new PostgresMetadataStore(database.ConnectionString, Clock);
        await store.InitializeAsync(Ct);

        Assert.True(await store.RepositoryExistsAsync("kept", Ct));
        var id = await store.EnqueueAsync("publish", "k", "p", TestData.Epoch, Ct);
        Assert.Equal(id, (await store.LeaseAsync(["publish"], "w1", TimeSpan.FromSeconds(30), Ct))?.Id);
        await store.SetOutboxCursorAsync("publisher", 3, Ct);
        Assert.Equal(3, await store.GetOutboxCursorAsync("publisher", Ct));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_previous_version_whole()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();

        // Version 1, plus a stray "jobs" table that makes version 2's CREATE TABLE fail half way.
        await ExecuteAsync(database, $"""
            {PostgresSchema.CreateVersionTable};
            {PostgresSchema.Migrations[0].Sql}
            INSERT INTO schema_version (version, applied_at) VALUES (1, 0);
            CREATE TABLE jobs (stray integer);
            """);
        await using var store = new PostgresMetadataStore(database.ConnectionString, Clock);

        var error = await Assert.ThrowsAsync<PostgresException>(() => store.InitializeAsync(Ct));

        Assert.Equal(PostgresErrorCodes.DuplicateTable, error.SqlState);
        Assert.Equal(1, await ScalarAsync<int>(database, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'outbox_cursors'"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListRepositoriesAsync(null, 10, Ct));
    }

    [Fact]
    public async Task InitializeAsync_refuses_a_database_from_a_newer_version()
    {
        await ExecuteAsync(_database, $"INSERT INTO schema_version (version, applied_at) VALUES ({PostgresSchema.LatestVersion + 1}, 0)");
        await using var store = new PostgresMetadataStore(_database.ConnectionString, Clock);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct));

        Assert.Contains("newer than this build supports", error.Message, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(PostgresTestDatabase database, string sql)
    {
        await using var connection = await database.OpenRawAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(PostgresTestDatabase database, string sql)
    {
        await using var connection = await database.OpenRawAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
