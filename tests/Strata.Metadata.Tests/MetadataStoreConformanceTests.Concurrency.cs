using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    private const int Parallelism = 20;

    [Fact]
    public async Task Parallel_pushes_of_different_images_all_succeed()
    {
        var pushes = Enumerable.Range(0, Parallelism)
            .Select(i => Task.Run(() => PushImageAsync(i % 2 == 0 ? "even" : "odd", $"img{i}", $"t{i:D2}")));

        await Task.WhenAll(pushes);

        Assert.Equal(Parallelism / 2, (await Store.ListTagsAsync("even", null, 100, Ct)).Count);
        Assert.Equal(Parallelism / 2, (await Store.ListTagsAsync("odd", null, 100, Ct)).Count);
        Assert.Equal(Parallelism * 2, (await ReadAllEventsAsync()).Count);
    }

    [Fact]
    public async Task Parallel_pushes_of_the_same_manifest_all_succeed_with_one_ManifestPushed()
    {
        var pushes = Enumerable.Range(0, Parallelism)
            .Select(_ => Task.Run(() => PushImageAsync("r", "same", "latest")));

        await Task.WhenAll(pushes);

        var events = await ReadAllEventsAsync();
        Assert.Single(events, e => e.Kind == OutboxEventKinds.ManifestPushed);
        Assert.Single(events, e => e.Kind == OutboxEventKinds.TagSet);
        Assert.Equal(["latest"], await Store.ListTagsAsync("r", null, 10, Ct));
    }

    [Fact]
    public async Task Parallel_writes_through_two_store_instances_of_one_database_all_succeed()
    {
        var other = await OpenStoreAsync();
        var writes = Enumerable.Range(0, Parallelism).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Store : other;
            await PushImageAsync(store, "r", $"img{i}", $"t{i:D2}");
            await store.CreateUploadAsync(new UploadSession(Guid.NewGuid(), "r", i, TestData.Epoch, TestData.Epoch), Ct);
            await store.LinkBlobAsync("r", TestData.Blob("shared"), Ct);
        }));

        await Task.WhenAll(writes);

        Assert.Equal(Parallelism, (await other.ListTagsAsync("r", null, 100, Ct)).Count);
        Assert.Equal(Parallelism, (await Store.ListStaleUploadsAsync(TestData.Epoch.AddDays(1), 100, Ct)).Count);
    }

    [Fact]
    public async Task Reads_during_parallel_writes_see_complete_manifests()
    {
        var writes = Enumerable.Range(0, Parallelism)
            .Select(i => Task.Run(() => PushImageAsync("r", $"img{i}", "latest")))
            .ToArray();
        var reads = Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            // A tag, once visible, always resolves to a manifest whose blobs are linked.
            var manifest = await Store.GetManifestByTagAsync("r", "latest", Ct);
            if (manifest is not null)
            {
                Assert.NotNull(await Store.GetManifestAsync("r", manifest.Digest, Ct));
            }
        }));

        await Task.WhenAll(writes.Concat(reads));

        Assert.NotNull(await Store.GetManifestByTagAsync("r", "latest", Ct));
    }
}
