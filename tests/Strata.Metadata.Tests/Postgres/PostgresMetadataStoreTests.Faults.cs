using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

public sealed partial class PostgresMetadataStoreTests
{
    [Fact]
    public async Task A_write_whose_session_is_terminated_mid_transaction_is_retried_and_applied_once()
    {
        var manifest = TestData.Manifest("r", "img");
        await using var outbox = await HoldOutboxLockAsync();
        var put = Task.Run(() => Store.PutManifestAsync(TestData.Write(manifest, "latest"), Ct));

        // Killed after writing its rows, before its commit: the server rolls the transaction back.
        var first = Assert.Single(await WaitForStoreSessionsWaitingOnTheOutboxLockAsync(1));
        await TerminateAsync(first);

        // The retry runs on a new session and stops at the same place; nothing of either attempt shows.
        var retry = await WaitForOtherSessionAsync(first);
        Assert.NotEqual(first, retry);
        Assert.False(put.IsCompleted);
        Assert.False(await Store.RepositoryExistsAsync("r", Ct));
        Assert.Empty(await ReadAllEventsAsync());

        await outbox.DisposeAsync();

        Assert.True((await put).Succeeded);
        AssertSameManifest(manifest, await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Equal(
            [
                (OutboxEventKinds.ManifestPushed, "r", manifest.Digest.ToString(), null),
                (OutboxEventKinds.TagSet, "r", manifest.Digest.ToString(), "latest"),
            ],
            await ReadEventSummariesAsync());
    }

    [Fact]
    public async Task A_write_that_keeps_failing_surfaces_MetadataStoreUnavailableException_and_writes_nothing()
    {
        await using var store = new PostgresMetadataStore(
            _database.ConnectionString,
            Clock,
            new PostgresRetryPolicy(maxAttempts: 1, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1)));
        await store.InitializeAsync(Ct);
        var manifest = TestData.Manifest("r", "img");
        await using var outbox = await HoldOutboxLockAsync();
        var put = Task.Run(() => store.PutManifestAsync(TestData.Write(manifest, "latest"), Ct));

        await TerminateAsync(Assert.Single(await WaitForStoreSessionsWaitingOnTheOutboxLockAsync(1)));
        var error = await Assert.ThrowsAsync<MetadataStoreUnavailableException>(() => put);
        await outbox.DisposeAsync();

        Assert.False(error.OutcomeUnknown);
        Assert.Contains(nameof(IManifestStore.PutManifestAsync), error.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsAssignableFrom<NpgsqlException>(error.InnerException).IsTransient);
        Assert.False(await Store.RepositoryExistsAsync("r", Ct));
        Assert.Null(await Store.GetManifestAsync("r", manifest.Digest, Ct));
        Assert.Empty(await ReadAllEventsAsync());

        // The store itself is fine afterwards.
        Assert.True((await store.PutManifestAsync(TestData.Write(manifest, "latest"), Ct)).Succeeded);
    }

    [Fact]
    public async Task Reads_and_writes_recover_when_the_server_ends_every_pooled_session()
    {
        // What a PostgreSQL restart or failover does to the pool: every idle connection is dead.
        var manifest = await PushImageAsync("r", "img", "latest");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Store.GetManifestByTagAsync("r", "latest", Ct)));

        await TerminateAsync(await StoreSessionsAsync());

        AssertSameManifest(manifest, await Store.GetManifestByTagAsync("r", "latest", Ct));
        await PushImageAsync("r", "two", "v2");
        Assert.Equal(["latest", "v2"], await Store.ListTagsAsync("r", null, 10, Ct));
    }

    [Fact]
    public async Task A_non_transient_error_is_not_retried()
    {
        var session = new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch);
        await Store.CreateUploadAsync(session, Ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() => Store.CreateUploadAsync(session, Ct));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    private async Task<int[]> StoreSessionsAsync()
    {
        await using var connection = await _database.OpenRawAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'strata'",
            connection);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return [.. pids];
    }

    /// <summary>pg_terminate_backend, then waits until the sessions are gone.</summary>
    private async Task TerminateAsync(params int[] pids)
    {
        await using var connection = await _database.OpenRawAsync();
        foreach (var pid in pids)
        {
            await using var command = new NpgsqlCommand($"SELECT pg_terminate_backend({pid}, 10000)", connection);
            Assert.True((bool)(await command.ExecuteScalarAsync())!);
        }
    }

    private async Task<int> WaitForOtherSessionAsync(int previous)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            var waiting = await WaitForStoreSessionsWaitingOnTheOutboxLockAsync(1);
            if (waiting.Any(pid => pid != previous))
            {
                return waiting.First(pid => pid != previous);
            }

            Assert.True(DateTime.UtcNow < deadline, "The write was not retried.");
            await Task.Delay(20);
        }
    }
}
