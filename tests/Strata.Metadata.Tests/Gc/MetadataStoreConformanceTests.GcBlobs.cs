using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;

namespace Strata.Metadata.Tests;

/// <summary>Garbage collection of blobs: links, references, the deleting mark, leases and orphans.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    /// <summary>Decides every due blob review; the verdicts by digest.</summary>
    protected async Task<List<BlobReview>> ReviewBlobsAsync(IMetadataStore? store = null)
    {
        var reviews = new List<BlobReview>();
        while (await (store ?? Store).ReviewNextBlobAsync(Gc, Ct) is { } review)
        {
            reviews.Add(review);
            Assert.True(reviews.Count < 1000, "reviews never run out");
        }

        return reviews;
    }

    [Fact]
    public async Task Gc_blobs_of_a_collected_manifest_are_condemned_in_the_same_pass()
    {
        var manifest = await PushImageAsync("r", "img");
        PassGracePeriod();
        Assert.Equal(GcVerdict.Deleted, Assert.Single(await ReviewManifestsAsync()).Verdict);

        var reviews = await ReviewBlobsAsync();

        var config = TestData.Blob("img-config");
        var layer = TestData.Blob("img-layer");
        Assert.Equal(
            new[] { (config.Digest, GcVerdict.Condemned, 1), (layer.Digest, GcVerdict.Condemned, 1) }.OrderBy(r => r.Item1.ToString(), StringComparer.Ordinal),
            reviews.Select(r => (r.Digest, r.Verdict, r.LinksPruned)).OrderBy(r => r.Item1.ToString(), StringComparer.Ordinal));
        Assert.All(reviews, r => Assert.Equal(1234, r.Size));
        Assert.Null(await Store.GetRepositoryBlobAsync("r", layer.Digest, Ct));
        Assert.NotNull(await Store.GetBlobAsync(layer.Digest, Ct));
        Assert.Equal(new GcBacklog(0, 2, 2), await Store.GetBacklogAsync(Ct));
    }

    [Fact]
    public async Task Gc_a_blob_being_deleted_cannot_be_linked_until_the_deletion_completes()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r", blob, Ct);
        PassGracePeriod();
        Assert.Equal(GcVerdict.Condemned, Assert.Single(await ReviewBlobsAsync()).Verdict);

        var refused = await Assert.ThrowsAsync<BlobBeingDeletedException>(() => Store.LinkBlobAsync("r2", blob, Ct));
        Assert.Equal(blob.Digest, refused.Digest);
        Assert.False(await Store.RepositoryExistsAsync("r2", Ct));

        Assert.True(await Store.CompleteBlobDeletionAsync(blob.Digest, Ct));

        Assert.Null(await Store.GetBlobAsync(blob.Digest, Ct));
        Assert.False(await Store.CompleteBlobDeletionAsync(blob.Digest, Ct));
        await Store.LinkBlobAsync("r2", blob, Ct);
        Assert.NotNull(await Store.GetRepositoryBlobAsync("r2", blob.Digest, Ct));
        Assert.Equal(new GcBacklog(0, 1, 0), await Store.GetBacklogAsync(Ct));
    }

    [Fact]
    public async Task Gc_a_young_link_nothing_references_protects_its_blob_until_it_is_old()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r", blob, Ct);
        Clock.Advance(Gc.GracePeriod / 2);

        // Linked again by a second push: a new grace period from now.
        await Store.LinkBlobAsync("r", blob, Ct);
        Clock.Advance((Gc.GracePeriod / 2) + TimeSpan.FromSeconds(1));
        Assert.Empty(await ReviewBlobsAsync());

        Clock.Advance(Gc.GracePeriod / 2);
        var review = Assert.Single(await ReviewBlobsAsync());

        Assert.Equal((GcVerdict.Condemned, 1), (review.Verdict, review.LinksPruned));
    }

    [Fact]
    public async Task Gc_every_unreferenced_link_older_than_the_grace_period_is_pruned_once_the_review_is_due()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("old", blob, Ct);
        Clock.Advance(Gc.GracePeriod);
        await Store.LinkBlobAsync("young", blob, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.QueueBlobReviewAsync(blob.Digest, "test", Ct);
        Clock.Advance(Gc.GracePeriod - TimeSpan.FromSeconds(1));

        Assert.Empty(await ReviewBlobsAsync());
        Clock.Advance(TimeSpan.FromSeconds(2));
        var review = Assert.Single(await ReviewBlobsAsync());

        Assert.Equal((GcVerdict.Condemned, 2), (review.Verdict, review.LinksPruned));
    }

    [Fact]
    public async Task Gc_a_blob_a_manifest_references_survives_being_unlinked_elsewhere()
    {
        await PushImageAsync("r1", "img", "latest");
        var layer = TestData.Blob("img-layer");
        await Store.LinkBlobAsync("r2", layer, Ct);
        Assert.True(await Store.UnlinkBlobAsync("r2", layer.Digest, Ct));
        PassGracePeriod();

        var reviews = await ReviewBlobsAsync();

        Assert.All(reviews, r => Assert.Equal(GcVerdict.Kept, r.Verdict));
        Assert.Contains(reviews, r => r.Digest == layer.Digest);
        Assert.NotNull(await Store.GetRepositoryBlobAsync("r1", layer.Digest, Ct));
        await Store.LinkBlobAsync("r2", layer, Ct);
        Assert.Equal(new GcBacklog(0, 1, 0), await Store.GetBacklogAsync(Ct));
    }

    [Fact]
    public async Task Gc_an_unreferenced_link_in_one_repository_is_pruned_while_another_repository_references_the_blob()
    {
        await PushImageAsync("r1", "img", "latest");
        var layer = TestData.Blob("img-layer");
        await Store.LinkBlobAsync("abandoned", layer, Ct);
        PassGracePeriod();

        var review = Assert.Single(await ReviewBlobsAsync(), r => r.Digest == layer.Digest);

        Assert.Equal((GcVerdict.Kept, 1), (review.Verdict, review.LinksPruned));
        Assert.Null(await Store.GetRepositoryBlobAsync("abandoned", layer.Digest, Ct));
        Assert.NotNull(await Store.GetRepositoryBlobAsync("r1", layer.Digest, Ct));
    }

    [Fact]
    public async Task Gc_a_leased_review_is_not_taken_by_another_worker_until_the_lease_expires()
    {
        var other = await OpenStoreAsync();
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r", blob, Ct);
        PassGracePeriod();
        Assert.Equal(GcVerdict.Condemned, (await Store.ReviewNextBlobAsync(Gc, Ct))?.Verdict);

        Assert.Null(await other.ReviewNextBlobAsync(Gc, Ct));
        Clock.Advance(Gc.LeaseDuration);

        // The first worker died between marking and deleting: the next one finishes the deletion.
        var resumed = await other.ReviewNextBlobAsync(Gc, Ct);
        Assert.NotNull(resumed);
        Assert.Equal((blob.Digest, GcVerdict.Condemned), (resumed.Digest, resumed.Verdict));
        Assert.True(await other.CompleteBlobDeletionAsync(blob.Digest, Ct));
        Assert.Null(await Store.GetBlobAsync(blob.Digest, Ct));
    }

    [Fact]
    public async Task Gc_a_postponed_deletion_comes_back_when_asked_and_stays_marked()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("r", blob, Ct);
        PassGracePeriod();
        Assert.Equal(GcVerdict.Condemned, Assert.Single(await ReviewBlobsAsync()).Verdict);

        await Store.PostponeBlobDeletionAsync(blob.Digest, Clock.GetUtcNow().AddMinutes(10), Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await ReviewBlobsAsync());
        await Assert.ThrowsAsync<BlobBeingDeletedException>(() => Store.LinkBlobAsync("r", blob, Ct));
        Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(GcVerdict.Condemned, Assert.Single(await ReviewBlobsAsync()).Verdict);
    }

    [Fact]
    public async Task Gc_a_review_of_a_blob_without_a_row_closes_itself()
    {
        var digest = TestData.DigestOf("never stored");
        await Store.QueueBlobReviewAsync(digest, "test", Ct);
        PassGracePeriod();

        Assert.Equal(new BlobReview(digest, 0, GcVerdict.Vanished, 0), Assert.Single(await ReviewBlobsAsync()));
        Assert.Equal(new GcBacklog(0, 0, 0), await Store.GetBacklogAsync(Ct));
    }

    [Fact]
    public async Task Gc_an_orphan_is_claimed_marked_deleting_and_completed()
    {
        var orphan = TestData.Blob("orphan");
        var known = TestData.Blob("known");
        await Store.LinkBlobAsync("r", known, Ct);

        Assert.True(await Store.ClaimOrphanBlobAsync(orphan.Digest, 10, Gc.LeaseDuration, Ct));
        Assert.False(await Store.ClaimOrphanBlobAsync(known.Digest, 10, Gc.LeaseDuration, Ct));

        await Assert.ThrowsAsync<BlobBeingDeletedException>(() => Store.LinkBlobAsync("r", orphan, Ct));
        Assert.Empty(await ReviewBlobsAsync());
        Assert.True(await Store.CompleteBlobDeletionAsync(orphan.Digest, Ct));
        Assert.Null(await Store.GetBlobAsync(orphan.Digest, Ct));
        Assert.NotNull(await Store.GetRepositoryBlobAsync("r", known.Digest, Ct));
    }
}
