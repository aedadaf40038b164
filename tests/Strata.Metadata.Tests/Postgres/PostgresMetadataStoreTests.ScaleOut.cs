using Npgsql;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

public sealed partial class PostgresMetadataStoreTests
{
    [Fact]
    public async Task InitializeWithoutMigrating_refuses_an_older_schema_and_names_strata_migrate_and_changes_nothing()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await ExecuteAsync(database, $"""
            {PostgresSchema.CreateVersionTable};
            {PostgresSchema.Migrations[0].Sql}
            INSERT INTO schema_version (version, applied_at) VALUES (1, 0);
            """);
        await using var store = new PostgresMetadataStore(database.ConnectionString, Clock);

        var error = await Assert.ThrowsAsync<MetadataSchemaOutdatedException>(() => store.InitializeWithoutMigratingAsync(Ct));

        Assert.Equal(1, error.Found);
        Assert.Equal(PostgresMetadataStore.LatestSchemaVersion, error.Required);
        Assert.Contains("strata migrate", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM schema_version"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListRepositoriesAsync(null, 10, Ct));

        // After the explicit migration the same store opens.
        await PostgresMetadataStore.MigrateAsync(database.ConnectionString, Clock, Ct);
        await store.InitializeWithoutMigratingAsync(Ct);
        Assert.Empty(await store.ListRepositoriesAsync(null, 10, Ct));
    }

    [Fact]
    public async Task InitializeWithoutMigrating_on_an_empty_database_reports_version_0()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = new PostgresMetadataStore(database.ConnectionString, Clock);

        Assert.Equal(0, await store.ReadSchemaVersionAsync(Ct));
        var error = await Assert.ThrowsAsync<MetadataSchemaOutdatedException>(() => store.InitializeWithoutMigratingAsync(Ct));

        Assert.Equal(0, error.Found);
        Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task Leadership_is_held_by_one_store_at_a_time_and_passes_on_when_released()
    {
        var other = (PostgresMetadataStore)await OpenStoreAsync();
        var store = (PostgresMetadataStore)Store;

        var first = await store.TryAcquireLeadershipAsync("outbox-dispatch", Ct);
        Assert.NotNull(first);
        Assert.Null(await other.TryAcquireLeadershipAsync("outbox-dispatch", Ct));
        Assert.Null(await store.TryAcquireLeadershipAsync("outbox-dispatch", Ct));
        await using (var unrelated = await other.TryAcquireLeadershipAsync("something-else", Ct))
        {
            Assert.NotNull(unrelated);
        }

        Assert.True(await first.IsHeldAsync(Ct));
        await first.DisposeAsync();

        await using var second = await other.TryAcquireLeadershipAsync("outbox-dispatch", Ct);
        Assert.NotNull(second);
    }

    [Fact]
    public async Task Leadership_whose_session_dies_is_reported_lost_and_taken_over()
    {
        var other = (PostgresMetadataStore)await OpenStoreAsync();
        await using var leader = await ((PostgresMetadataStore)Store).TryAcquireLeadershipAsync("outbox-dispatch", Ct);
        Assert.NotNull(leader);

        // The session holding the advisory lock is the one a replica that crashed or lost its network would leave.
        await using (var connection = await _database.OpenRawAsync())
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT pg_terminate_backend(pid, 10000) FROM pg_locks
                WHERE locktype = 'advisory' AND classid = 1400140385 AND granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """,
                connection);
            Assert.True((bool)(await command.ExecuteScalarAsync())!);
        }

        Assert.False(await leader.IsHeldAsync(Ct));
        Assert.False(await leader.IsHeldAsync(Ct));
        await using var successor = await other.TryAcquireLeadershipAsync("outbox-dispatch", Ct);
        Assert.NotNull(successor);
    }
}
