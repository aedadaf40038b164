using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task GetBlob_of_unknown_digest_is_null()
    {
        Assert.Null(await Store.GetBlobAsync(TestData.Blob("nope").Digest, Ct));
        Assert.Null(await Store.GetRepositoryBlobAsync("r", TestData.Blob("nope").Digest, Ct));
    }

    [Fact]
    public async Task LinkBlob_records_the_blob_and_its_link()
    {
        var blob = TestData.Blob("layer", size: 987_654_321_012);

        await Store.LinkBlobAsync("r", blob, Ct);

        Assert.Equal(blob, await Store.GetBlobAsync(blob.Digest, Ct));
        Assert.Equal(blob, await Store.GetRepositoryBlobAsync("r", blob.Digest, Ct));
    }

    [Fact]
    public async Task GetRepositoryBlob_of_a_blob_linked_only_elsewhere_is_null()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r1", blob, Ct);
        await Store.LinkBlobAsync("r2", TestData.Blob("other"), Ct);

        Assert.Null(await Store.GetRepositoryBlobAsync("r2", blob.Digest, Ct));
        Assert.NotNull(await Store.GetBlobAsync(blob.Digest, Ct));
    }

    [Fact]
    public async Task LinkBlob_twice_is_idempotent_and_writes_no_event()
    {
        var blob = TestData.Blob("layer");

        await Store.LinkBlobAsync("r", blob, Ct);
        await Store.LinkBlobAsync("r", blob, Ct);
        await Store.LinkBlobAsync("r2", blob with { CreatedAt = TestData.Epoch.AddDays(1) }, Ct);

        Assert.Equal(blob, await Store.GetRepositoryBlobAsync("r", blob.Digest, Ct));
        Assert.Equal(blob, await Store.GetBlobAsync(blob.Digest, Ct));
        Assert.Empty(await ReadAllEventsAsync());
    }

    [Fact]
    public async Task UnlinkBlob_removes_only_that_link_and_writes_BlobUnlinked()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r1", blob, Ct);
        await Store.LinkBlobAsync("r2", blob, Ct);

        Assert.True(await Store.UnlinkBlobAsync("r1", blob.Digest, Ct));

        Assert.Null(await Store.GetRepositoryBlobAsync("r1", blob.Digest, Ct));
        Assert.NotNull(await Store.GetRepositoryBlobAsync("r2", blob.Digest, Ct));
        Assert.Equal(blob, await Store.GetBlobAsync(blob.Digest, Ct));
        Assert.True(await Store.RepositoryExistsAsync("r1", Ct));
        var unlinked = Assert.Single(await ReadAllEventsAsync());
        Assert.Equal(OutboxEventKinds.BlobUnlinked, unlinked.Kind);
        Assert.Equal("r1", unlinked.Repository);
        Assert.Equal(blob.Digest.ToString(), unlinked.Digest);
        Assert.Null(unlinked.Tag);
    }

    [Fact]
    public async Task UnlinkBlob_without_a_link_returns_false_and_writes_nothing()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r1", blob, Ct);

        Assert.False(await Store.UnlinkBlobAsync("r2", blob.Digest, Ct));
        Assert.False(await Store.UnlinkBlobAsync("r1", TestData.Blob("other").Digest, Ct));

        Assert.False(await Store.RepositoryExistsAsync("r2", Ct));
        Assert.Empty(await ReadAllEventsAsync());
    }

    [Fact]
    public async Task LinkBlob_after_unlink_links_again()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r", blob, Ct);
        await Store.UnlinkBlobAsync("r", blob.Digest, Ct);

        await Store.LinkBlobAsync("r", blob, Ct);

        Assert.Equal(blob, await Store.GetRepositoryBlobAsync("r", blob.Digest, Ct));
    }
}
