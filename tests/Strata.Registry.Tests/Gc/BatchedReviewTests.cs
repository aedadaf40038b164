using Strata.Registry.Gc;
using Strata.Registry.Manifests;
using Strata.Registry.Tests.Gc.Support;

namespace Strata.Registry.Tests.Gc;

/// <summary>
/// Reviews decided in batches (SQLite: one transaction per batch, plainly referenced blobs by one
/// statement, paced) decide exactly what the one-by-one dry run predicts, across many small batches.
/// </summary>
public sealed class BatchedReviewTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Small_paced_batches_delete_exactly_what_the_dry_run_predicts_and_keep_every_tagged_image()
    {
        await using var registry = await RegistryHarness.SqliteFileSystemAsync(new GcOptions
        {
            GracePeriod = Grace,
            LeaseDuration = TimeSpan.FromSeconds(10),
            ReviewBatchSize = 3,
            WorkShare = 0.5,
            Concurrency = 2,
        });
        var shared = RegistryHarness.Content("shared");
        var deleted = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var digest = await registry.PushImageAsync($"team/app{i % 3}", $"v{i}", RegistryHarness.Content($"config{i}"), [shared, RegistryHarness.Content($"layer{i}")], chunked: i % 2 == 0, Ct);
            if (i % 4 == 0)
            {
                await registry.Manifests.DeleteAsync($"team/app{i % 3}", new ManifestReference(null, digest), Ct);
                deleted.Add($"layer{i}");
            }
        }

        // A tag moved: the image it left is untagged, so collected with its own blobs.
        await registry.PushImageAsync("team/app0", "moving", RegistryHarness.Content("config-x1"), [shared, RegistryHarness.Content("layer-x1")], chunked: false, Ct);
        await registry.PushImageAsync("team/app0", "moving", RegistryHarness.Content("config-x2"), [shared, RegistryHarness.Content("layer-x2")], chunked: false, Ct);

        // An abandoned push: linked, never referenced.
        await registry.UploadAsync("team/app0", RegistryHarness.Content("abandoned"), chunked: false, Ct);
        await Task.Delay(Grace + TimeSpan.FromMilliseconds(100));

        var dry = await registry.Collector.RunAsync(new GcRunRequest(DryRun: true, SweepStorage: false, "test"), Ct);
        var real = await registry.Collector.RunAsync(new GcRunRequest(DryRun: false, SweepStorage: false, "test"), Ct);

        Assert.Equal("succeeded", real.Status);
        Assert.True(real.Complete);
        Assert.Equal(dry.Manifests.Order(StringComparer.Ordinal), real.Manifests.Order(StringComparer.Ordinal));
        Assert.Equal(dry.Blobs.Order(StringComparer.Ordinal), real.Blobs.Order(StringComparer.Ordinal));
        Assert.Equal(dry.LinksPruned, real.LinksPruned);

        // The untagged manifest; the deleted images' and the untagged one's config and own layer, and the
        // abandoned blob; the shared layer stays.
        Assert.Equal(1, real.ManifestsDeleted);
        Assert.Equal(9, real.BlobsDeleted);
        var expectedGone = deleted.Select(RegistryHarness.Content).Append(RegistryHarness.Content("abandoned"))
            .Concat(new[] { 0, 4, 8 }.Select(i => RegistryHarness.Content($"config{i}")))
            .Append(RegistryHarness.Content("config-x1")).Append(RegistryHarness.Content("layer-x1"))
            .Select(c => RegistryHarness.DigestOf(c).ToString());
        Assert.Equal(expectedGone.Order(StringComparer.Ordinal), real.Blobs.Order(StringComparer.Ordinal));
        for (var i = 0; i < 12; i++)
        {
            if (i % 4 != 0)
            {
                await registry.PullAndVerifyAsync($"team/app{i % 3}", $"v{i}", Ct);
            }
        }

        // Storage holds exactly the blobs metadata knows, and nothing is left to review.
        var stored = await registry.ListStoredBlobsAsync(Ct);
        await registry.PullAndVerifyAsync("team/app0", "moving", Ct);
        Assert.Equal(12 - 3 + 12 - 3 + 1 + 2, stored.Count);
        var backlog = await registry.Store.GetBacklogAsync(Ct);
        Assert.Equal((0L, 0L, 0L), (backlog.ManifestReviews, backlog.BlobReviews, backlog.BlobsDeleting));
    }
}
