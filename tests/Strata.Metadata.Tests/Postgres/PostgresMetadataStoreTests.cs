using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

/// <summary>
/// The conformance suite on a real PostgreSQL, plus what only PostgreSQL has (migrations under an
/// advisory lock, row locking, SKIP LOCKED leasing, retries). Each test gets a fresh database.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class PostgresMetadataStoreTests : MetadataStoreConformanceTests
{
    private PostgresTestDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateMigratedAsync();
        try
        {
            await base.InitializeAsync();
        }
        catch
        {
            // xUnit does not call DisposeAsync when InitializeAsync fails.
            await _database.DisposeAsync();
            throw;
        }
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        var store = new PostgresMetadataStore(_database.ConnectionString, Clock);
        await store.InitializeAsync(Ct);
        return store;
    }

    [Fact]
    public async Task Using_a_store_before_InitializeAsync_throws()
    {
        await using var store = new PostgresMetadataStore(_database.ConnectionString, Clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ListRepositoriesAsync(null, 10, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.LinkBlobAsync("r", TestData.Blob("x"), Ct));
    }

    [Fact]
    public async Task Using_a_disposed_store_throws()
    {
        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.ListRepositoriesAsync(null, 10, Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.LinkBlobAsync("r", TestData.Blob("x"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.InitializeAsync(Ct));
    }

    [Fact]
    public async Task Database_refuses_a_second_active_job_for_a_kind_and_key()
    {
        await Store.EnqueueAsync("publish", "k", "p", TestData.Epoch, Ct);
        await using var connection = await _database.OpenRawAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO jobs (kind, key, payload, state, attempts, not_before, created_at, updated_at)
            VALUES ('publish', 'k', 'p', 1, 0, 0, 0, 0)
            """,
            connection);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("ux_jobs_active", error.ConstraintName);
    }

    [Fact]
    public async Task Names_page_in_ordinal_order_in_a_database_whose_default_collation_is_linguistic()
    {
        // An ICU en-US default collation sorts "B" between "a" and "b"; the store's COLLATE "C" columns must not.
        await using var database = await PostgresTestDatabase.CreateAsync("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
        await using var store = new PostgresMetadataStore(database.ConnectionString, Clock);
        await store.InitializeAsync(Ct);
        foreach (var name in TrickyNames)
        {
            await store.LinkBlobAsync(name, TestData.Blob("shared"), Ct);
        }

        await store.PutManifestAsync(TestData.Write(TestData.Manifest("a", "img"), TrickyNames), Ct);

        var expected = TrickyNames.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await store.ListRepositoriesAsync(null, 100, Ct));
        Assert.Equal(expected, await ReadAllPagesAsync((last, limit) => store.ListRepositoriesAsync(last, limit, Ct), pageSize: 3));
        Assert.Equal(expected, await ReadAllPagesAsync((last, limit) => store.ListTagsAsync("a", last, limit, Ct), pageSize: 4));
    }
}
