using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task InitializeAsync_twice_is_harmless_and_keeps_data()
    {
        var manifest = await PushImageAsync("r", "img", "latest");

        await Store.InitializeAsync(Ct);
        await Store.InitializeAsync(Ct);

        AssertSameManifest(manifest, await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Equal(2, (await ReadAllEventsAsync()).Count);
    }

    [Fact]
    public async Task A_reopened_store_keeps_everything()
    {
        var subject = await PushImageAsync("r", "img", "latest");
        var referrer = TestData.Manifest("r", "sig", subject: subject.Digest, artifactType: "application/x.sig");
        await Store.PutManifestAsync(TestData.Write(referrer), Ct);
        var upload = new UploadSession(Guid.NewGuid(), "r", 42, TestData.Epoch, TestData.Epoch);
        await Store.CreateUploadAsync(upload, Ct);
        var events = await ReadAllEventsAsync();

        await Store.DisposeAsync();
        var reopened = await OpenStoreAsync();

        Assert.Equal(["r"], await reopened.ListRepositoriesAsync(null, 10, Ct));
        AssertSameManifest(subject, await reopened.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Equal([referrer.Digest], (await reopened.ListReferrersAsync("r", subject.Digest, null, Ct)).Select(m => m.Digest));
        Assert.Equal(TestData.Blob("img-layer"), await reopened.GetRepositoryBlobAsync("r", TestData.Blob("img-layer").Digest, Ct));
        Assert.Equal(upload, await reopened.GetUploadAsync("r", upload.Id, Ct));
        Assert.Equal(events, await reopened.ReadEventsAsync(0, 100, Ct));
    }

    [Fact]
    public async Task Event_ids_keep_growing_after_reopening()
    {
        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("r", "one")), Ct);
        var last = await LastEventIdAsync();
        await Store.DisposeAsync();

        var reopened = await OpenStoreAsync();
        await reopened.PutManifestAsync(TestData.Write(TestData.Manifest("r", "two")), Ct);

        Assert.True(Assert.Single(await reopened.ReadEventsAsync(last, 10, Ct)).Id > last);
    }

    [Fact]
    public async Task DisposeAsync_twice_is_harmless()
    {
        await Store.DisposeAsync();
        await Store.DisposeAsync();
    }
}
