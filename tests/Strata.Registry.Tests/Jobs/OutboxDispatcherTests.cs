using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;
using Strata.Registry.Jobs;

namespace Strata.Registry.Tests.Jobs;

public sealed class OutboxDispatcherTests
{
    private sealed class Consumer(Func<OutboxEvent, Task> handle) : IOutboxConsumer
    {
        public string Name => "test";

        public Task HandleAsync(OutboxEvent change, CancellationToken cancellationToken) => handle(change);
    }

    private static OutboxDispatcher Dispatcher(SqliteQueueFixture fixture, IOutboxConsumer consumer) =>
        new([consumer], fixture.Store, fixture.Store, new JobSignal(), Options.Create(new JobWorkerOptions()), NullLogger<OutboxDispatcher>.Instance);

    private static async Task PushTagsAsync(SqliteQueueFixture fixture, params string[] tags)
    {
        var config = Digest.Compute(DigestAlgorithm.Sha256, "{}"u8);
        await fixture.Store.LinkBlobAsync("team/app", new BlobRecord(config, 2, DateTimeOffset.UtcNow), default);
        foreach (var tag in tags)
        {
            var content = System.Text.Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"tag\":\"{tag}\"}}");
            var manifest = new ManifestRecord("team/app", Digest.Compute(DigestAlgorithm.Sha256, content), "application/vnd.oci.image.manifest.v1+json",
                content.Length, null, null, null, content, DateTimeOffset.UtcNow);
            await fixture.Store.PutManifestAsync(new ManifestWrite(manifest, [config], [], [tag]), default);
        }
    }

    [Fact]
    public async Task Events_are_delivered_in_order_and_the_position_moves_forward()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        await PushTagsAsync(fixture, "1", "2");
        var seen = new List<OutboxEvent>();
        var dispatcher = Dispatcher(fixture, new Consumer(e => { seen.Add(e); return Task.CompletedTask; }));

        await dispatcher.DispatchBatchAsync(new Consumer(e => { seen.Add(e); return Task.CompletedTask; }), default);

        Assert.Equal(seen.Select(e => e.Id).Order(), seen.Select(e => e.Id));
        Assert.Equal(["1", "2"], seen.Where(e => e.Kind == OutboxEventKinds.TagSet).Select(e => e.Tag));
        Assert.Equal(seen[^1].Id, await fixture.Store.GetOutboxCursorAsync("test", default));

        seen.Clear();
        await PushTagsAsync(fixture, "3");
        await dispatcher.DispatchBatchAsync(new Consumer(e => { seen.Add(e); return Task.CompletedTask; }), default);
        Assert.Equal(["3"], seen.Where(e => e.Kind == OutboxEventKinds.TagSet).Select(e => e.Tag));
    }

    [Fact]
    public async Task A_failing_consumer_sees_the_same_event_again()
    {
        await using var fixture = await SqliteQueueFixture.CreateAsync();
        await PushTagsAsync(fixture, "1");
        var attempts = new List<long>();
        var fail = true;
        var consumer = new Consumer(e =>
        {
            attempts.Add(e.Id);
            return fail ? throw new IOException("down") : Task.CompletedTask;
        });
        var dispatcher = Dispatcher(fixture, consumer);

        await Assert.ThrowsAsync<IOException>(() => dispatcher.DispatchBatchAsync(consumer, default));
        fail = false;
        await dispatcher.DispatchBatchAsync(consumer, default);

        Assert.Equal(attempts[0], attempts[1]);
    }
}
