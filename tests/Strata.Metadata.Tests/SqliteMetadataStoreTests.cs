using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;
using Strata.Metadata.Sqlite;

namespace Strata.Metadata.Tests;

/// <summary>The conformance suite on SQLite, plus what only SQLite has (pragmas, schema, files).</summary>
public sealed class SqliteMetadataStoreTests : MetadataStoreConformanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strata-metadata-").FullName;

    private string DatabasePath => Path.Combine(_directory, "metadata.db");

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        var store = new SqliteMetadataStore(DatabasePath, Clock);
        await store.InitializeAsync(Ct);
        return store;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Gc_batches_decide_a_large_backlog_in_slices_keeping_every_referenced_blob_and_condemning_the_rest()
    {
        for (var i = 0; i < 400; i++)
        {
            await PushImageAsync($"team/app{i % 7}", $"image{i}", $"v{i}");
        }

        var abandoned = TestData.Blob("abandoned");
        await Store.LinkBlobAsync("team/app0", abandoned, Ct);
        Clock.Advance(Gc.GracePeriod + TimeSpan.FromSeconds(1));

        // The plainly-kept statement runs in slices that fit the hold budget, so the 801 due reviews may
        // take several batches even with a limit above them all; every one is decided exactly once.
        var decided = 0;
        var batches = 0;
        var reviews = new List<Strata.Metadata.Contracts.Gc.BlobReview>();
        while ((await Store.ReviewBlobsAsync(Gc, 10_000, Ct)) is { Decided: > 0 } batch)
        {
            decided += batch.Decided;
            reviews.AddRange(batch.Reviews);
            Assert.True(++batches < 10_000, "batches never run out");
        }

        Assert.Equal(801, decided);
        var condemned = Assert.Single(reviews, r => r.Verdict == Strata.Metadata.Contracts.Gc.GcVerdict.Condemned);
        Assert.Equal(abandoned.Digest, condemned.Digest);

        // Nothing else is due; the condemned blob's review stays leased until its deletion completes.
        var backlog = await Store.GetBacklogAsync(Ct);
        Assert.Equal((1L, 1L), (backlog.BlobReviews, backlog.BlobsDeleting));
        Assert.Equal(0, (await Store.ReviewBlobsAsync(Gc, 10_000, Ct)).Decided);
    }

    [Fact]
    public async Task Database_is_in_WAL_mode_with_the_latest_schema_version()
    {
        await using var connection = await OpenRawAsync();

        Assert.Equal("wal", await ScalarAsync<string>(connection, "PRAGMA journal_mode"));
        Assert.Equal(SqliteSchema.LatestVersion, await ScalarAsync<long>(connection, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(SqliteSchema.Migrations.Count, await ScalarAsync<long>(connection, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task Schema_has_the_indexes_lookups_and_gc_rely_on()
    {
        await using var connection = await OpenRawAsync();

        string[] expected =
        [
            "ix_repository_blobs_digest",
            "ix_manifests_referrers",
            "ix_manifest_blob_references_digest",
            "ix_manifest_manifest_references_child",
            "ix_tags_manifest",
            "ix_upload_sessions_updated_at",
            "ux_jobs_active",
            "ix_jobs_queued",
            "ix_jobs_leases",
            "ix_jobs_kind_key",
            "ix_jobs_kind_state",
            "ix_jobs_kind",
            "ix_jobs_ended",
        ];
        foreach (var index in expected)
        {
            Assert.Equal(1L, await ScalarAsync<long>(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'"));
        }
    }

    [Theory]
    [InlineData("SELECT t.name FROM repositories r JOIN tags t ON t.repository_id = r.id WHERE r.name = 'r' AND t.name > 'v1' ORDER BY t.name LIMIT 100")]
    [InlineData("SELECT m.digest FROM repositories r JOIN tags t ON t.repository_id = r.id JOIN manifests m ON m.id = t.manifest_id WHERE r.name = 'r' AND t.name = 'latest'")]
    [InlineData("SELECT name FROM repositories WHERE name > 'a' ORDER BY name LIMIT 100")]
    [InlineData("SELECT m.digest FROM repositories r JOIN manifests m ON m.repository_id = r.id WHERE r.name = 'r' AND m.subject_digest = 'sha256:x' ORDER BY m.digest")]
    [InlineData("SELECT 1 FROM manifest_blob_references WHERE digest = 'sha256:x'")]
    [InlineData("SELECT 1 FROM manifest_manifest_references WHERE child_digest = 'sha256:x'")]
    [InlineData("SELECT 1 FROM repository_blobs WHERE digest = 'sha256:x'")]
    [InlineData("SELECT id FROM outbox WHERE id > 5 ORDER BY id LIMIT 10")]
    [InlineData("SELECT id, state, payload FROM jobs WHERE kind = 'publish' AND key = 'r:latest' AND state IN (0, 1)")]
    [InlineData("SELECT id FROM jobs WHERE kind = 'publish' AND key = 'r:latest' ORDER BY id DESC LIMIT 1")]
    [InlineData("SELECT id FROM jobs WHERE kind = 'publish' AND state = 0 ORDER BY id DESC LIMIT 50")]
    [InlineData("SELECT id FROM jobs WHERE state = 0 AND kind = 'publish' AND not_before <= 5 ORDER BY not_before, id LIMIT 1")]
    [InlineData("SELECT id FROM jobs WHERE kind = 'publish' ORDER BY id DESC LIMIT 50")]
    [InlineData("SELECT id FROM jobs WHERE state IN (2, 3) AND updated_at < 5 LIMIT 1000")]
    [InlineData("SELECT event_id FROM outbox_cursors WHERE consumer = 'publisher'")]
    public async Task Hot_queries_use_an_index_without_scanning_or_sorting(string query)
    {
        await using var connection = await OpenRawAsync();

        var plan = await QueryPlanAsync(connection, query);

        Assert.NotEmpty(plan);
        Assert.All(plan, step => Assert.StartsWith("SEARCH", step, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lease_finds_its_candidates_through_the_partial_indexes_without_scanning_jobs()
    {
        await using var connection = await OpenRawAsync();

        var plan = await QueryPlanAsync(
            connection,
            SqliteMetadataStore.LeaseCandidateSql(2).Replace("@now", "5").Replace("@kind0", "'a'").Replace("@kind1", "'b'"));

        // Every read of the table is a seek per kind; the sorts in the plan order the one-row probe
        // results and the few expired leases, never the queue.
        // ("COVERING" or not depends on the SQLite version, so only the index and its seek are checked.)
        var tableSteps = plan.Where(step => step.Contains(" jobs ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, tableSteps.Count);
        Assert.All(tableSteps, step => Assert.StartsWith("SEARCH jobs USING", step, StringComparison.Ordinal));
        Assert.Equal(2, tableSteps.Count(step => step.EndsWith("INDEX ix_jobs_queued (kind=? AND not_before<?)", StringComparison.Ordinal)));
        Assert.Equal(2, tableSteps.Count(step => step.EndsWith("INDEX ix_jobs_leases (kind=? AND lease_until<?)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Database_refuses_a_second_active_job_for_a_kind_and_key()
    {
        await Store.EnqueueAsync("publish", "k", "p", TestData.Epoch, Ct);
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO jobs (kind, key, payload, state, attempts, not_before, created_at, updated_at)
            VALUES ('publish', 'k', 'p', 1, 0, 0, 0, 0)
            """;

        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task InitializeAsync_upgrades_a_version_1_database()
    {
        var path = Path.Combine(_directory, "v1.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                {SqliteSchema.CreateVersionTable};
                {SqliteSchema.Migrations[0].Sql}
                INSERT INTO schema_version (version, applied_at) VALUES (1, 0);
                INSERT INTO repositories (name, created_at) VALUES ('kept', 0);
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteMetadataStore(path, Clock);
        await store.InitializeAsync(Ct);

        Assert.True(await store.RepositoryExistsAsync("kept", Ct));
        var id = await store.EnqueueAsync("publish", "k", "p", TestData.Epoch, Ct);
        Assert.Equal(id, (await store.LeaseAsync(["publish"], "w1", TimeSpan.FromSeconds(30), Ct))?.Id);
        await store.SetOutboxCursorAsync("publisher", 3, Ct);
        Assert.Equal(3, await store.GetOutboxCursorAsync("publisher", Ct));
    }

    [Fact]
    public async Task DisposeAsync_closes_every_connection_so_the_wal_file_is_removed()
    {
        await PushImageAsync("r", "img", "latest");
        Assert.NotNull(await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.True(File.Exists(DatabasePath + "-wal"));

        await Store.DisposeAsync();

        // SQLite checkpoints and deletes the WAL when the last connection to the file closes.
        Assert.False(File.Exists(DatabasePath + "-wal"));
    }

    [Fact]
    public async Task InitializeAsync_refuses_a_database_from_a_newer_version()
    {
        await using (var connection = await OpenRawAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO schema_version (version, applied_at) VALUES ({SqliteSchema.LatestVersion + 1}, 0)";
            await command.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteMetadataStore(DatabasePath, Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync(Ct));
    }

    [Fact]
    public async Task Using_a_store_before_InitializeAsync_throws()
    {
        await using var store = new SqliteMetadataStore(Path.Combine(_directory, "other.db"), Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListRepositoriesAsync(null, 10, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.LinkBlobAsync("r", TestData.Blob("x"), Ct));
    }

    [Fact]
    public async Task Using_a_disposed_store_throws()
    {
        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.ListRepositoriesAsync(null, 10, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.LinkBlobAsync("r", TestData.Blob("x"), Ct));
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        // Pooling off: a pooled test connection would keep the file open after the test.
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<string>> QueryPlanAsync(SqliteConnection connection, string query)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + query;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
