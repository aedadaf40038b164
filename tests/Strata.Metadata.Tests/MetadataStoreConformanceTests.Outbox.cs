using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task ReadEvents_returns_events_in_the_order_written_with_increasing_ids()
    {
        var first = await PushImageAsync("r", "one", "latest");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await PushImageAsync("r", "two", "latest");
        await Store.DeleteTagAsync("r", "latest", Ct);
        await Store.DeleteManifestAsync("r", first.Digest, Ct);
        await Store.UnlinkBlobAsync("r", TestData.Blob("one-layer").Digest, Ct);

        var events = await ReadAllEventsAsync();

        Assert.Equal(
            [
                (OutboxEventKinds.ManifestPushed, "r", first.Digest.ToString(), null),
                (OutboxEventKinds.TagSet, "r", first.Digest.ToString(), "latest"),
                (OutboxEventKinds.ManifestPushed, "r", second.Digest.ToString(), null),
                (OutboxEventKinds.TagSet, "r", second.Digest.ToString(), "latest"),
                (OutboxEventKinds.TagDeleted, "r", second.Digest.ToString(), "latest"),
                (OutboxEventKinds.ManifestDeleted, "r", first.Digest.ToString(), null),
                (OutboxEventKinds.BlobUnlinked, "r", TestData.Blob("one-layer").Digest.ToString(), null),
            ],
            events.Select(e => (e.Kind, e.Repository, e.Digest, e.Tag)));
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Id < pair.Second.Id));
        Assert.Equal(TestData.Epoch, events[0].CreatedAt);
        Assert.Equal(TestData.Epoch.AddSeconds(1), events[^1].CreatedAt);
    }

    [Fact]
    public async Task ReadEvents_pages_with_afterId_and_limit()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.PutManifestAsync(TestData.Write(TestData.Manifest("r", $"m{i}")), Ct);
        }

        var all = await ReadAllEventsAsync();
        var paged = new List<OutboxEvent>();
        long after = 0;
        while (true)
        {
            var page = await Store.ReadEventsAsync(after, 3, Ct);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 3);
            paged.AddRange(page);
            after = page[^1].Id;
        }

        Assert.Equal(10, all.Count);
        Assert.Equal(all, paged);
        Assert.Empty(await Store.ReadEventsAsync(all[^1].Id, 10, Ct));
        Assert.Empty(await Store.ReadEventsAsync(0, 0, Ct));
    }
}
