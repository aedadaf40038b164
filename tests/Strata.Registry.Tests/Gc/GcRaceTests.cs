using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Errors;
using Strata.Registry.Gc;
using Strata.Registry.Manifests;
using Strata.Registry.Tests.Gc.Support;

namespace Strata.Registry.Tests.Gc;

/// <summary>
/// Pushes sharing layers, tag moves, tag and manifest deletes, all concurrent, while garbage collection
/// runs continuously with a grace period of seconds, for a bounded number of rounds. Afterwards every
/// tagged image pulls completely with verified digests, and storage holds exactly the blobs metadata
/// keeps: nothing referenced was deleted, nothing unreferenced is left.
/// </summary>
public abstract class GcRaceTests
{
    private const int Writers = 4;
    private const int RoundsPerWriter = 30;
    private static readonly string[] Repositories = ["team/app", "team/tool", "science/sim"];
    private static readonly string[] Tags = ["latest", "v1", "v2"];

    private GcOptions Options => new()
    {
        GracePeriod = GracePeriod,
        UploadExpiry = TimeSpan.FromSeconds(30),
        LeaseDuration = TimeSpan.FromSeconds(20),
        Concurrency = 3,
        BlobDeletionWait = TimeSpan.FromSeconds(30),

        // The race is about correctness under continuous collection, not about pace (BatchedReviewTests
        // covers pacing): at the production default (0.15) the PostgreSQL/S3 run, whose steps are slow
        // S3 round trips on a loaded machine, spent most of its four minutes pausing.
        WorkShare = 0.5,
    };

    /// <summary>Longer than a push takes here (a push slower than the grace period loses its unreferenced links).</summary>
    private protected abstract TimeSpan GracePeriod { get; }

    private protected abstract Task<RegistryHarness> CreateHarnessAsync(GcOptions options);

    [Fact]
    public async Task Concurrent_pushes_moves_and_deletes_under_continuous_gc_leave_every_tag_whole_and_no_garbage()
    {
        var options = Options;
        await using var registry = await CreateHarnessAsync(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var sharedLayers = Enumerable.Range(0, 6).Select(i => RegistryHarness.Content($"shared-{i}")).ToArray();

        using var writersDone = new CancellationTokenSource();
        var collections = 0;
        var collected = 0L;
        var gc = Task.Run(async () =>
        {
            while (!writersDone.IsCancellationRequested)
            {
                var report = await registry.Collector.RunAsync(new GcRunRequest(false, SweepStorage: collections % 10 == 9, GcTriggers.Schedule), ct);
                Assert.Equal("succeeded", report.Status);
                collections++;
                collected += report.BlobsDeleted + report.ManifestsDeleted;
                await Task.Delay(50, ct);
            }
        }, ct);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w * 7919);
            for (var round = 0; round < RoundsPerWriter; round++)
            {
                var repository = Repositories[random.Next(Repositories.Length)];
                var tag = Tags[random.Next(Tags.Length)];
                var layers = new[] { sharedLayers[random.Next(sharedLayers.Length)], sharedLayers[random.Next(sharedLayers.Length)], RegistryHarness.Content($"unique-{w}-{round}") }
                    .DistinctBy(RegistryHarness.DigestOf).ToList();
                var config = RegistryHarness.Content($"config-{w}-{round % 5}");
                var digest = await registry.PushImageAsync(repository, tag, config, layers, chunked: round % 3 == 0, ct);

                switch (random.Next(6))
                {
                    case 0:
                        await IgnoreUnknownAsync(() => registry.Manifests.DeleteAsync(repository, new ManifestReference(tag, null), ct));
                        break;
                    case 1:
                        await IgnoreUnknownAsync(() => registry.Manifests.DeleteAsync(repository, new ManifestReference(null, digest), ct));
                        break;
                    case 2:
                        // An abandoned push: blobs uploaded, never referenced.
                        await registry.UploadAsync(repository, RegistryHarness.Content($"abandoned-{w}-{round}"), chunked: false, ct);
                        break;
                }

                // Rounds spread over several grace periods, so reviews come due while pushes go on.
                await Task.Delay(random.Next(0, 250), ct);
            }
        }, ct)).ToList();

        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await gc;
        Assert.True(collections > 10, $"gc ran {collections} times");
        Assert.True(collected > 0, "the race deleted nothing, so it proved nothing");

        // Let everything left unreferenced age past the grace period, then collect to the end.
        for (var pass = 0; pass < 3; pass++)
        {
            await Task.Delay(options.GracePeriod + TimeSpan.FromMilliseconds(300), ct);
            var report = await registry.Collector.RunAsync(new GcRunRequest(false, SweepStorage: true, "test"), ct);
            Assert.Equal("succeeded", report.Status);
        }

        // Every tag pulls whole, with verified digests.
        var tagged = 0;
        foreach (var repository in Repositories)
        {
            foreach (var tag in await registry.Store.ListTagsAsync(repository, null, 100, ct))
            {
                await registry.PullAndVerifyAsync(repository, tag, ct);
                tagged++;
            }
        }

        Assert.True(tagged > 0, "no tag survived the race");

        // Storage holds exactly what metadata keeps.
        var kept = (await registry.Store.ListBlobUsageAsync(ct)).Select(u => u.Digest).ToHashSet(StringComparer.Ordinal);
        var stored = await registry.ListStoredBlobsAsync(ct);
        Assert.Empty(kept.Except(stored));
        Assert.Empty(stored.Except(kept));
        Assert.Empty(await registry.ListUploadObjectsAsync(ct));
        Assert.Equal(new GcBacklog(0, 0, 0), await registry.Store.GetBacklogAsync(ct));

        // And the usage figures count exactly those bytes.
        var usage = await new UsageCalculator(registry.Store).CalculateAsync(ct);
        Assert.Equal(stored.Count, usage.TotalBlobs);
    }

    private static async Task IgnoreUnknownAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (RegistryException e) when (e.Code == OciErrorCode.ManifestUnknown)
        {
            // Another writer moved or deleted it first.
        }
    }
}
