using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Replicas;

/// <summary>
/// Background work with two replicas: each tag push queues one publish job, exactly one replica runs
/// it once, and publications from both replicas commit one after another (consecutive revisions,
/// none lost), whichever replica took the push.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PublicationOnceTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Each_pushed_tag_is_published_exactly_once_with_two_replicas_running()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var a = await cluster.StartInProcessAsync();
        var b = await cluster.StartInProcessAsync();
        using var httpA = new RegistryHttp(a.BaseAddress);
        using var httpB = new RegistryHttp(b.BaseAddress);
        var first = HttpImage.Create(new Dictionary<string, byte[]> { ["etc/first"] = Blobs.Random(200_000, 71) });
        var second = HttpImage.Create(new Dictionary<string, byte[]> { ["etc/second"] = Blobs.Random(200_000, 72) });
        var third = HttpImage.Create(new Dictionary<string, byte[]> { ["etc/third"] = Blobs.Random(200_000, 73) });

        await first.PushAsync(httpA, "phys/app", "1.0");
        var one = Assert.Single(await PublishJobs.WaitEndedAsync(cluster, "phys/app:1.0", PublishTimeout));
        Assert.Equal((2, 1), (one.State, one.Attempts));

        // Two more through different replicas at once: both published, one revision each, in turn.
        await Task.WhenAll(second.PushAsync(httpB, "phys/app", "2.0"), third.PushAsync(httpA, "phys/other", "1.0"));
        var two = Assert.Single(await PublishJobs.WaitEndedAsync(cluster, "phys/app:2.0", PublishTimeout));
        var three = Assert.Single(await PublishJobs.WaitEndedAsync(cluster, "phys/other:1.0", PublishTimeout));
        Assert.Equal((2, 1), (two.State, two.Attempts));
        Assert.Equal((2, 1), (three.State, three.Attempts));

        var revisions = new[] { one.Revision!.Value, two.Revision!.Value, three.Revision!.Value }.Order().ToArray();
        Assert.Equal([revisions[0], revisions[0] + 1, revisions[0] + 2], revisions);
        Assert.Equal(3L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE kind = 'publish'"));

        // Both replicas serve the same, latest revision.
        var (bytesA, revisionA) = await PublishJobs.ReadManifestAsync(httpA.Client);
        var (bytesB, _) = await PublishJobs.ReadManifestAsync(httpB.Client);
        Assert.Equal(revisions[2], revisionA);
        Assert.Equal(bytesA, bytesB);
    }
}
