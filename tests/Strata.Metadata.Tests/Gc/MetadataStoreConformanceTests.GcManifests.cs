using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Manifests;

namespace Strata.Metadata.Tests;

/// <summary>Garbage collection of manifests: what queues a review, and what a review keeps or deletes.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    protected static readonly GcPolicy Gc = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), DeleteUntagged: true);

    protected void PassGracePeriod() => Clock.Advance(Gc.GracePeriod + TimeSpan.FromMilliseconds(1));

    /// <summary>Decides every due manifest review; the verdicts in order.</summary>
    protected async Task<List<ManifestReview>> ReviewManifestsAsync(GcPolicy? policy = null)
    {
        var reviews = new List<ManifestReview>();
        while (await Store.ReviewNextManifestAsync(policy ?? Gc, Ct) is { } review)
        {
            reviews.Add(review);
            Assert.True(reviews.Count < 1000, "reviews never run out");
        }

        return reviews;
    }

    [Fact]
    public async Task Gc_untagged_manifest_is_kept_for_the_grace_period_then_deleted()
    {
        var manifest = await PushImageAsync("r", "img");

        Assert.Null(await Store.ReviewNextManifestAsync(Gc, Ct));
        Clock.Advance(Gc.GracePeriod - TimeSpan.FromSeconds(1));
        Assert.Null(await Store.ReviewNextManifestAsync(Gc, Ct));
        Clock.Advance(TimeSpan.FromSeconds(2));

        var review = Assert.Single(await ReviewManifestsAsync());

        Assert.Equal(new ManifestReview("r", manifest.Digest, manifest.Size, GcVerdict.Deleted), review);
        Assert.Null(await Store.GetManifestAsync("r", manifest.Digest, Ct));
        var deleted = (await ReadEventSummariesAsync()).Last();
        Assert.Equal((OutboxEventKinds.ManifestDeleted, "r", (string?)manifest.Digest.ToString(), (string?)null), deleted);
    }

    [Fact]
    public async Task Gc_tagged_manifest_is_never_queued()
    {
        var manifest = await PushImageAsync("r", "img", "latest");
        PassGracePeriod();

        Assert.Empty(await ReviewManifestsAsync());
        Assert.NotNull(await Store.GetManifestAsync("r", manifest.Digest, Ct));
    }

    [Fact]
    public async Task Gc_untagged_manifests_are_kept_when_the_policy_says_so()
    {
        var manifest = await PushImageAsync("r", "img");
        PassGracePeriod();

        var review = Assert.Single(await ReviewManifestsAsync(Gc with { DeleteUntagged = false }));

        Assert.Equal(GcVerdict.Kept, review.Verdict);
        Assert.NotNull(await Store.GetManifestAsync("r", manifest.Digest, Ct));
    }

    [Fact]
    public async Task Gc_manifest_tagged_before_its_review_is_due_is_kept()
    {
        var manifest = await PushImageAsync("r", "img");
        Assert.True((await Store.PutManifestAsync(TestData.Write(manifest, "v1"), Ct)).Succeeded);
        PassGracePeriod();

        var review = Assert.Single(await ReviewManifestsAsync());

        Assert.Equal(GcVerdict.Kept, review.Verdict);
        Assert.NotNull(await Store.GetManifestByTagAsync("r", "v1", Ct));
        Assert.Empty(await ReviewManifestsAsync());
    }

    [Fact]
    public async Task Gc_deleting_a_tag_queues_its_manifest()
    {
        var manifest = await PushImageAsync("r", "img", "latest");
        Assert.True(await Store.DeleteTagAsync("r", "latest", Ct));
        Assert.Null(await Store.ReviewNextManifestAsync(Gc, Ct));
        PassGracePeriod();

        var review = Assert.Single(await ReviewManifestsAsync());

        Assert.Equal(GcVerdict.Deleted, review.Verdict);
        Assert.Null(await Store.GetManifestAsync("r", manifest.Digest, Ct));
    }

    [Fact]
    public async Task Gc_moving_a_tag_queues_the_manifest_it_left()
    {
        var old = await PushImageAsync("r", "one", "latest");
        var current = await PushImageAsync("r", "two", "latest");
        PassGracePeriod();

        var review = Assert.Single(await ReviewManifestsAsync());

        Assert.Equal((old.Digest, GcVerdict.Deleted), (review.Digest, review.Verdict));
        Assert.Null(await Store.GetManifestAsync("r", old.Digest, Ct));
        Assert.Equal(current.Digest, (await Store.GetManifestByTagAsync("r", "latest", Ct))?.Digest);
    }

    [Fact]
    public async Task Gc_a_later_event_postpones_a_review()
    {
        var manifest = await PushImageAsync("r", "img", "a", "b");
        Assert.True(await Store.DeleteTagAsync("r", "a", Ct));
        Clock.Advance(Gc.GracePeriod / 2);
        Assert.True(await Store.DeleteTagAsync("r", "b", Ct));
        Clock.Advance((Gc.GracePeriod / 2) + TimeSpan.FromSeconds(1));

        Assert.Null(await Store.ReviewNextManifestAsync(Gc, Ct));
        Clock.Advance(Gc.GracePeriod / 2);
        Assert.Equal(GcVerdict.Deleted, Assert.Single(await ReviewManifestsAsync()).Verdict);
        Assert.Null(await Store.GetManifestAsync("r", manifest.Digest, Ct));
    }

    [Fact]
    public async Task Gc_index_children_are_kept_while_the_index_exists_and_collected_with_it()
    {
        var child = await PushImageAsync("r", "amd64");
        var index = TestData.Manifest("r", "index", MediaTypes.OciIndex);
        Assert.True((await Store.PutManifestAsync(new ManifestWrite(index, [], [child.Digest], ["latest"]), Ct)).Succeeded);
        PassGracePeriod();

        Assert.Equal(GcVerdict.Kept, Assert.Single(await ReviewManifestsAsync()).Verdict);

        Assert.True(await Store.DeleteTagAsync("r", "latest", Ct));
        PassGracePeriod();
        var reviews = await ReviewManifestsAsync();

        Assert.Equal([(index.Digest, GcVerdict.Deleted), (child.Digest, GcVerdict.Deleted)], reviews.Select(r => (r.Digest, r.Verdict)));
        Assert.Null(await Store.GetManifestAsync("r", child.Digest, Ct));
    }

    [Fact]
    public async Task Gc_referrers_are_kept_while_their_subject_exists_and_collected_after_it()
    {
        var subject = await PushImageAsync("r", "img", "latest");
        var signature = TestData.Manifest("r", "sig", subject: subject.Digest, artifactType: "application/x.sig");
        Assert.True((await Store.PutManifestAsync(TestData.Write(signature), Ct)).Succeeded);
        PassGracePeriod();

        Assert.Equal(GcVerdict.Kept, Assert.Single(await ReviewManifestsAsync()).Verdict);

        Assert.True(await Store.DeleteManifestAsync("r", subject.Digest, Ct));
        PassGracePeriod();

        var review = Assert.Single(await ReviewManifestsAsync());
        Assert.Equal((signature.Digest, GcVerdict.Deleted), (review.Digest, review.Verdict));
    }

    [Fact]
    public async Task Gc_a_manifest_deleted_by_a_client_leaves_a_review_that_finds_it_gone()
    {
        var manifest = await PushImageAsync("r", "img");
        Assert.True(await Store.DeleteManifestAsync("r", manifest.Digest, Ct));
        PassGracePeriod();

        Assert.Equal(GcVerdict.Vanished, Assert.Single(await ReviewManifestsAsync()).Verdict);
    }

    [Fact]
    public async Task Gc_a_manifest_deleted_and_pushed_again_is_judged_by_its_new_state()
    {
        var manifest = await PushImageAsync("r", "img");
        Assert.True(await Store.DeleteManifestAsync("r", manifest.Digest, Ct));
        await PushImageAsync("r", "img", "latest");
        PassGracePeriod();

        Assert.Equal(GcVerdict.Kept, Assert.Single(await ReviewManifestsAsync()).Verdict);
        Assert.NotNull(await Store.GetManifestByTagAsync("r", "latest", Ct));
    }
}
