using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;

namespace Strata.Metadata.Tests;

/// <summary>Garbage collection dry runs, history and usage figures.</summary>
public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task Gc_plan_reports_what_a_run_would_delete_and_changes_nothing()
    {
        var garbage = await PushImageAsync("r", "old", "latest");
        var kept = await PushImageAsync("r", "new", "latest");
        var orphan = TestData.Blob("orphan");
        await Store.LinkBlobAsync("other", orphan, Ct);
        PassGracePeriod();
        var eventsBefore = await LastEventIdAsync();
        var backlogBefore = await Store.GetBacklogAsync(Ct);

        var plan = await Store.PlanAsync(Gc, 1000, Ct);

        Assert.True(plan.Complete);
        Assert.Equal([garbage.Digest], plan.Manifests.Select(m => m.Digest));
        string[] expectedBlobs = [TestData.Blob("old-config").Digest.ToString(), TestData.Blob("old-layer").Digest.ToString(), orphan.Digest.ToString()];
        Assert.Equal(expectedBlobs.Order(StringComparer.Ordinal), plan.Blobs.Select(b => b.Digest.ToString()).Order(StringComparer.Ordinal));
        Assert.NotNull(await Store.GetManifestAsync("r", garbage.Digest, Ct));
        Assert.NotNull(await Store.GetRepositoryBlobAsync("other", orphan.Digest, Ct));
        Assert.Equal(eventsBefore, await LastEventIdAsync());
        Assert.Equal(backlogBefore, await Store.GetBacklogAsync(Ct));

        // The real run deletes exactly that.
        var manifests = (await ReviewManifestsAsync()).Where(r => r.Verdict == GcVerdict.Deleted).Select(r => r.Digest);
        var blobs = (await ReviewBlobsAsync()).Where(r => r.Verdict == GcVerdict.Condemned).Select(r => r.Digest.ToString());
        Assert.Equal(plan.Manifests.Select(m => m.Digest), manifests);
        Assert.Equal(expectedBlobs.Order(StringComparer.Ordinal), blobs.Order(StringComparer.Ordinal));
        Assert.NotNull(await Store.GetManifestAsync("r", kept.Digest, Ct));
    }

    [Fact]
    public async Task Gc_plan_stops_at_its_limit_and_says_so()
    {
        await PushImageAsync("r", "a");
        await PushImageAsync("r", "b");
        PassGracePeriod();

        var plan = await Store.PlanAsync(Gc, 1, Ct);

        Assert.False(plan.Complete);
        Assert.Single(plan.Manifests);
    }

    [Fact]
    public async Task Gc_runs_are_recorded_and_listed_newest_first()
    {
        var first = new GcRunRecord(0, "cli", true, TestData.Epoch, TestData.Epoch.AddSeconds(1), "succeeded", 1, 2, 3, 4, 5, 6_000_000_000, null);
        var second = first with { Trigger = "schedule", DryRun = false, Status = "failed", Error = "storage down" };

        var firstId = await Store.AddGcRunAsync(first, Ct);
        var secondId = await Store.AddGcRunAsync(second, Ct);

        Assert.True(secondId > firstId);
        Assert.Equal([second with { Id = secondId }, first with { Id = firstId }], await Store.ListGcRunsAsync(10, Ct));
        Assert.Single(await Store.ListGcRunsAsync(1, Ct));
    }

    [Fact]
    public async Task Gc_blob_usage_lists_every_blob_each_repository_keeps_once()
    {
        await PushImageAsync("team/app", "img", "latest");
        await PushImageAsync("team/tool", "img", "latest");
        var extra = TestData.Blob("extra", size: 7);
        await Store.LinkBlobAsync("solo", extra, Ct);

        var usage = await Store.ListBlobUsageAsync(Ct);

        var config = TestData.Blob("img-config").Digest.ToString();
        var layer = TestData.Blob("img-layer").Digest.ToString();
        var expected = new List<BlobUsage>
        {
            new("solo", extra.Digest.ToString(), 7),
            new("team/app", config, 1234), new("team/app", layer, 1234),
            new("team/tool", config, 1234), new("team/tool", layer, 1234),
        }.OrderBy(u => u.Repository, StringComparer.Ordinal).ThenBy(u => u.Digest, StringComparer.Ordinal);
        Assert.Equal(expected, usage);
    }

    [Fact]
    public async Task Gc_upload_existence_is_known_by_id_alone()
    {
        var session = new UploadSession(Guid.NewGuid(), "r", 0, TestData.Epoch, TestData.Epoch);
        await Store.CreateUploadAsync(session, Ct);

        Assert.True(await Store.UploadExistsAsync(session.Id, Ct));
        Assert.False(await Store.UploadExistsAsync(Guid.NewGuid(), Ct));
    }
}
