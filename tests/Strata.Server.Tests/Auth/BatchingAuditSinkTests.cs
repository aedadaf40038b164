using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts.Identity;
using Strata.Metadata.Sqlite;
using Strata.Server.Auth;

namespace Strata.Server.Tests.Auth;

/// <summary>The audit writer batches in the background, flushes on demand and at shutdown, and makes recorders wait rather than lose entries.</summary>
public sealed class BatchingAuditSinkTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("strata-audit-sink-");
    private SqliteMetadataStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteMetadataStore(Path.Combine(_folder.FullName, "strata.db"), TimeProvider.System);
        await _store.InitializeAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Flush_stores_lingering_entries_at_once()
    {
        using var sink = NewSink(TimeSpan.FromSeconds(10));
        await sink.StartAsync(Ct);
        for (var i = 0; i < 3; i++)
        {
            await sink.RecordAsync(Pull(i), Ct);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await sink.FlushAsync(Ct);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"flush took {watch.Elapsed}; it must not wait for the 10 s linger");
        Assert.Equal(3, (await StoredAsync()).Count);
        await sink.StopAsync(Ct);
    }

    [Fact]
    public async Task Entries_queued_at_shutdown_are_stored()
    {
        using var sink = NewSink(TimeSpan.FromSeconds(10));
        await sink.StartAsync(Ct);
        for (var i = 0; i < 1200; i++)
        {
            await sink.RecordAsync(Pull(i), Ct);
        }

        await sink.StopAsync(Ct);

        Assert.Equal(1200, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task A_full_queue_makes_recorders_wait_and_loses_nothing()
    {
        using var sink = NewSink(TimeSpan.FromMilliseconds(50));

        // Not started yet: nothing drains the queue, as when the store is down.
        for (var i = 0; i < BatchingAuditSink.Capacity; i++)
        {
            Assert.True(sink.RecordAsync(Pull(i), Ct).IsCompleted);
        }

        var waiting = sink.RecordAsync(Pull(BatchingAuditSink.Capacity), Ct).AsTask();
        await Task.Delay(200, Ct);
        Assert.False(waiting.IsCompleted);

        await sink.StartAsync(Ct);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await sink.FlushAsync(Ct);

        var stored = await StoredAsync();
        Assert.Equal(BatchingAuditSink.Capacity + 1, stored.Count);
        Assert.Equal(Enumerable.Range(0, BatchingAuditSink.Capacity + 1).Select(i => $"team/app:{i}").Order(StringComparer.Ordinal),
            stored.Select(e => e.Resource).Order(StringComparer.Ordinal));
        await sink.StopAsync(Ct);
    }

    private BatchingAuditSink NewSink(TimeSpan linger) =>
        new(_store, NullLogger<BatchingAuditSink>.Instance, Options.Create(new AuthOptions { AuditFlushInterval = linger }));

    private static AuditEntry Pull(int i) =>
        new(0, DateTimeOffset.UtcNow, "alice", "pull", $"team/app:{i}", "team", true, "127.0.0.1", null);

    private Task<IReadOnlyList<AuditEntry>> StoredAsync() =>
        _store.QueryAuditAsync(new AuditQuery(null, null, null, null, null, null, 100_000), Ct);
}
