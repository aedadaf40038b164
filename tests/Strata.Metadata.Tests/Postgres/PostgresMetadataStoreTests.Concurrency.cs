using System.Collections.Concurrent;
using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

public sealed partial class PostgresMetadataStoreTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Lease_skips_a_job_another_transaction_has_locked_instead_of_waiting()
    {
        var locked = await Store.EnqueueAsync("publish", "a", "p", TestData.Epoch, Ct);
        var free = await Store.EnqueueAsync("publish", "b", "p", TestData.Epoch, Ct);
        await using var connection = await _database.OpenRawAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT id FROM jobs WHERE id = {locked} FOR UPDATE", connection, transaction))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var leased = await Store.LeaseAsync(["publish"], "w1", TimeSpan.FromSeconds(30), timeout.Token);
        var none = await Store.LeaseAsync(["publish"], "w2", TimeSpan.FromSeconds(30), timeout.Token);
        await transaction.RollbackAsync();

        Assert.Equal(free, leased?.Id);
        Assert.Null(none);
        Assert.Equal(locked, (await Store.LeaseAsync(["publish"], "w2", TimeSpan.FromSeconds(30), Ct))?.Id);
    }

    [Fact]
    public async Task Workers_on_two_stores_lease_every_job_of_several_kinds_exactly_once_including_retries()
    {
        const int JobsPerKind = 60;
        string[] kinds = ["publish", "scan", "gc"];
        foreach (var kind in kinds)
        {
            for (var i = 0; i < JobsPerKind; i++)
            {
                await Store.EnqueueAsync(kind, $"k{i}", $"p{i}", TestData.Epoch, Ct);
            }
        }

        var other = await OpenStoreAsync();
        var runs = new ConcurrentBag<(long Id, int Attempt, string Owner)>();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var store = w % 2 == 0 ? Store : other;
            var owner = $"replica{w % 2}-worker{w}";
            while (await store.LeaseAsync(kinds, owner, TimeSpan.FromMinutes(5), Ct) is { } job)
            {
                runs.Add((job.Id, job.Attempts, owner));

                // Every third job fails once and is retried at once (its retry is due immediately).
                Assert.True(job.Id % 3 == 0 && job.Attempts == 1
                    ? await store.FailAsync(job.Id, owner, "transient", TestData.Epoch, Ct)
                    : await store.CompleteAsync(job.Id, owner, null, Ct));
            }
        }));

        await Task.WhenAll(workers);

        var all = kinds.Length * JobsPerKind;
        var retried = runs.Select(r => r.Id).Distinct().Count(id => id % 3 == 0);
        Assert.Equal(all + retried, runs.Count);
        Assert.Equal(runs.Count, runs.Select(r => (r.Id, r.Attempt)).Distinct().Count());
        foreach (var kind in kinds)
        {
            Assert.All(await Store.ListJobsAsync(kind, null, 1000, Ct), job => Assert.Equal(JobState.Succeeded, job.State));
        }
    }

    [Fact]
    public async Task Outbox_readers_never_skip_an_event_that_a_concurrent_writer_commits_late()
    {
        // Ids come from a sequence: without the outbox lock, a writer that took id N and commits after
        // the writer of N+1 would be skipped by a reader that had already moved past N+1.
        var other = await OpenStoreAsync();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var store = w % 2 == 0 ? Store : other;
            for (var i = 0; i < 15; i++)
            {
                await store.PutManifestAsync(TestData.Write(TestData.Manifest($"r{w}", $"m{i}"), $"t{i}"), Ct);
            }
        })).ToArray();

        var seen = new List<long>();
        long cursor = 0;
        while (true)
        {
            var finished = writers.All(w => w.IsCompleted);
            var page = await Store.ReadEventsAsync(cursor, 50, Ct);
            seen.AddRange(page.Select(e => e.Id));
            if (page.Count > 0)
            {
                cursor = page[^1].Id;
            }
            else if (finished)
            {
                break;
            }
        }

        await Task.WhenAll(writers);
        var all = (await ReadAllEventsAsync()).Select(e => e.Id).ToList();
        Assert.Equal(8 * 15 * 2, all.Count);
        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task Unlink_of_a_blob_waits_for_the_manifest_write_that_checked_it()
    {
        var config = TestData.Blob("img-config");
        var layer = TestData.Blob("img-layer");
        await Store.LinkBlobAsync("r", config, Ct);
        await Store.LinkBlobAsync("r", layer, Ct);
        var manifest = TestData.Manifest("r", "img");
        var other = await OpenStoreAsync();

        // The write stops at its last step (appending events) while the test holds the outbox lock:
        // its checks are done, so the links it found must stay until it commits.
        await using var outbox = await HoldOutboxLockAsync();
        var put = Task.Run(() => Store.PutManifestAsync(new ManifestWrite(manifest, [config.Digest, layer.Digest], [], ["latest"]), Ct));
        await WaitForStoreSessionsWaitingOnTheOutboxLockAsync(1);
        var unlink = Task.Run(() => other.UnlinkBlobAsync("r", layer.Digest, Ct));
        await WaitForStoreSessionsAsync(waitingOn: "a row lock", "l.locktype <> 'advisory'", 1);
        Assert.False(unlink.IsCompleted);

        await outbox.DisposeAsync();

        Assert.True((await put).Succeeded);
        Assert.True(await unlink);
        Assert.Equal(
            [
                (OutboxEventKinds.ManifestPushed, "r", manifest.Digest.ToString(), null),
                (OutboxEventKinds.TagSet, "r", manifest.Digest.ToString(), "latest"),
                (OutboxEventKinds.BlobUnlinked, "r", layer.Digest.ToString(), null),
            ],
            await ReadEventSummariesAsync());
    }

    [Fact]
    public async Task Delete_of_a_manifest_waits_for_a_push_that_tags_it_and_removes_the_new_tag_too()
    {
        var manifest = await PushImageAsync("r", "img", "latest");
        var other = await OpenStoreAsync();
        var before = await LastEventIdAsync();

        await using var outbox = await HoldOutboxLockAsync();
        var push = Task.Run(() => Store.PutManifestAsync(TestData.Write(manifest, "v2"), Ct));
        await WaitForStoreSessionsWaitingOnTheOutboxLockAsync(1);
        var delete = Task.Run(() => other.DeleteManifestAsync("r", manifest.Digest, Ct));
        await WaitForStoreSessionsAsync(waitingOn: "a row lock", "l.locktype <> 'advisory'", 1);
        Assert.False(delete.IsCompleted);

        await outbox.DisposeAsync();

        Assert.True((await push).Succeeded);
        Assert.True(await delete);
        Assert.Empty(await Store.ListTagsAsync("r", null, 10, Ct));
        Assert.Equal(
            [
                (OutboxEventKinds.TagSet, "r", manifest.Digest.ToString(), "v2"),
                (OutboxEventKinds.TagDeleted, "r", manifest.Digest.ToString(), "latest"),
                (OutboxEventKinds.TagDeleted, "r", manifest.Digest.ToString(), "v2"),
                (OutboxEventKinds.ManifestDeleted, "r", manifest.Digest.ToString(), null),
            ],
            await ReadEventSummariesAsync(before));
    }

    /// <summary>
    /// Opens a transaction holding the outbox lock: every store write that appends events stops just
    /// before its commit until the returned connection is disposed (which rolls the transaction back).
    /// </summary>
    private async Task<NpgsqlConnection> HoldOutboxLockAsync()
    {
        var connection = await _database.OpenRawAsync();
        await using var command = new NpgsqlCommand($"BEGIN; SELECT pg_advisory_xact_lock({PostgresSchema.OutboxLockKey})", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Waits until <paramref name="count"/> store sessions (not the test's own) wait on the outbox lock; returns their pids.</summary>
    private Task<List<int>> WaitForStoreSessionsWaitingOnTheOutboxLockAsync(int count) =>
        WaitForStoreSessionsAsync("the outbox lock", "l.locktype = 'advisory'", count);

    /// <summary>Waits until <paramref name="count"/> store sessions wait on a lock matching <paramref name="lockCondition"/> (on pg_locks l).</summary>
    private async Task<List<int>> WaitForStoreSessionsAsync(string waitingOn, string lockCondition, int count)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        await using var connection = await _database.OpenRawAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT DISTINCT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
                WHERE a.datname = current_database() AND a.application_name = 'strata'
                  AND NOT l.granted AND {lockCondition}
                ORDER BY a.pid
                """,
                connection);
            var pids = new List<int>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    pids.Add(reader.GetInt32(0));
                }
            }

            if (pids.Count >= count)
            {
                return pids;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No store session waited on {waitingOn} within {WaitLimit}.");
            await Task.Delay(20);
        }
    }
}
