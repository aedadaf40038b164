using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Replicas;

/// <summary>
/// A replica killed with <c>kill -9</c> (its own process) while it works: the other replica serves
/// everything that was committed, continues the interrupted upload from what was stored, and takes
/// over the interrupted job once its lease expires. Nothing the dead replica had half-written shows.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaKillTests
{
    [Fact]
    public async Task Upload_interrupted_by_killing_its_replica_is_completed_through_the_other()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var settings = new Dictionary<string, string?> { ["Publish:Enabled"] = "false" };
        var a = await cluster.StartProcessAsync(settings);
        var b = await cluster.StartInProcessAsync(settings);
        using var httpA = new RegistryHttp(a.BaseAddress);
        using var httpB = new RegistryHttp(b.BaseAddress);
        var earlier = Blobs.Random(1 << 20, seed: 81);
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(httpA, "kill/repo", earlier));
        var content = Blobs.Random(12 << 20, seed: 82);
        var first = content.AsSpan(0, 6 << 20).ToArray();
        var rest = content.AsSpan(6 << 20).ToArray();

        var location = await httpA.StartUploadAsync("kill/repo");
        location = await httpA.PatchChunkAsync(location, first, 0);

        // The second chunk stalls half way; A dies under it.
        using var stall = new CancellationTokenSource();
        var stalling = new StallingContent(rest.AsMemory(0, 3 << 20), stall.Token);
        stalling.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = stalling };
        var stalled = httpA.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await a.KillAsync();
        await stall.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => stalled);

        // B sees exactly what was committed before the kill, and finishes the upload from there.
        var (_, lastByte) = await httpB.UploadStatusAsync(Blobs.On(b, location));
        Assert.Equal(first.Length - 1, lastByte);
        location = await httpB.PatchChunkAsync(Blobs.On(b, location), rest, first.Length);
        await httpB.CompleteUploadAsync(Blobs.On(b, location), Blobs.Digest(content));

        var (status, got) = await Blobs.GetAsync(httpB, "kill/repo", Blobs.Digest(content));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(content.AsSpan().SequenceEqual(got), "the blob finished on B differs from the one started on A");
        var (earlierStatus, earlierGot) = await Blobs.GetAsync(httpB, "kill/repo", Blobs.Digest(earlier));
        Assert.Equal(HttpStatusCode.OK, earlierStatus);
        Assert.Equal(earlier, earlierGot);
    }

    [Fact]
    public async Task Publication_interrupted_by_killing_its_replica_is_finished_by_the_other_once_the_lease_expires()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var shortLease = new Dictionary<string, string?> { ["Jobs:LeaseDuration"] = "00:00:05" };
        var a = await cluster.StartProcessAsync(shortLease);
        using var httpA = new RegistryHttp(a.BaseAddress);
        // Big enough that publishing it (unpacking, chunking, compressing, storing ~40 objects in S3)
        // takes seconds, so A is surely killed in the middle.
        var image = HttpImage.Create(new Dictionary<string, byte[]>
        {
            ["data/large.bin"] = Blobs.Random(48 << 20, seed: 83),
            ["data/small.txt"] = "kept\n"u8.ToArray(),
        });

        await image.PushAsync(httpA, "kill/published", "1.0");
        var running = await PublishJobs.WaitAsync(cluster, "kill/published:1.0", rows => rows.Count == 1 && rows[0].State != 0, TimeSpan.FromMinutes(1), a.Output);
        Assert.True(running[0].State == 1, $"the publication ended before the replica could be killed ({running[0]}); the test needs a larger layer");
        Assert.Contains($"/{a.ProcessId}/", running[0].LeaseOwner, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await a.KillAsync();
        var atKill = Assert.Single(await PublishJobs.ListAsync(cluster, "kill/published:1.0"));
        Assert.True(atKill.State == 1, $"the publication ended before the replica was killed ({atKill}); the test needs a larger layer");

        var b = await cluster.StartInProcessAsync(shortLease);
        using var httpB = new RegistryHttp(b.BaseAddress);
        var done = Assert.Single(await PublishJobs.WaitEndedAsync(cluster, "kill/published:1.0", TimeSpan.FromMinutes(3)));

        Assert.Equal(2, done.State);
        Assert.Equal(2, done.Attempts);
        var (_, revision) = await PublishJobs.ReadManifestAsync(httpB.Client);
        Assert.Equal(done.Revision, revision);
    }
}
