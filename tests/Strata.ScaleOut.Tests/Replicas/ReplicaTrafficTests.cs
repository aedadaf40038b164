using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Replicas;

/// <summary>
/// Two replicas on one S3 bucket and one PostgreSQL database, as behind a load balancer: whatever
/// one accepts, the other serves at once, and an upload may hop between them chunk by chunk.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaTrafficTests
{
    private static readonly Dictionary<string, string?> NoPublication = new() { ["Publish:Enabled"] = "false" };

    [Fact]
    public async Task Image_pushed_with_skopeo_through_one_replica_is_pulled_through_the_other()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        IRegistryEndpoint a = await cluster.StartInProcessAsync(NoPublication);
        IRegistryEndpoint b = await cluster.StartInProcessAsync(NoPublication);
        using var sandbox = new ToolSandbox();
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "v1");

        await skopeo.CopyAsync(original.Reference("v1"), a.Docker("team/app:1.0"));
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(b.Docker("team/app:1.0"), pulled.Reference("back"));

        Assert.Equal(manifest.Digest, pulled.Resolve("back").Digest);
        LayoutAssert.SameImage(original, pulled, manifest.Digest);
        Assert.Equal(["1.0"], await skopeo.ListTagsAsync(b.Docker("team/app")));

        // A tag moved through B is seen through A at once: no replica caches metadata.
        await skopeo.CopyAsync(b.Docker("team/app:1.0"), b.Docker("team/app:latest"));
        Assert.Equal(["1.0", "latest"], (await skopeo.ListTagsAsync(a.Docker("team/app"))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Chunked_upload_continues_across_replicas_PATCH_on_A_then_B_and_PUT_on_A()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var a = await cluster.StartInProcessAsync(NoPublication);
        var b = await cluster.StartInProcessAsync(NoPublication);
        using var httpA = new RegistryHttp(a.BaseAddress);
        using var httpB = new RegistryHttp(b.BaseAddress);
        // First chunk above the 5 MiB part size (a multipart segment), second below it (a short
        // segment the next writer re-reads), third small: every path of the S3 chain.
        var content = Blobs.Random((6 << 20) + (2 << 20) + 4096, seed: 61);
        var first = content.AsSpan(0, 6 << 20).ToArray();
        var second = content.AsSpan(6 << 20, 2 << 20).ToArray();
        var third = content.AsSpan(8 << 20).ToArray();

        var location = await httpA.StartUploadAsync("hop/blob");
        location = await httpA.PatchChunkAsync(location, first, 0);
        location = await httpB.PatchChunkAsync(Blobs.On(b, location), second, first.Length);
        var (_, lastByte) = await httpA.UploadStatusAsync(Blobs.On(a, location));
        Assert.Equal(first.Length + second.Length - 1, lastByte);
        location = await httpA.PatchChunkAsync(Blobs.On(a, location), third, first.Length + second.Length);
        await httpA.CompleteUploadAsync(Blobs.On(a, location), Blobs.Digest(content));

        foreach (var http in new[] { httpA, httpB })
        {
            var (status, got) = await Blobs.GetAsync(http, "hop/blob", Blobs.Digest(content));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(content.AsSpan().SequenceEqual(got), "the blob read back differs from what was uploaded in three chunks over two replicas");
        }

        // The session is gone on both replicas.
        using var gone = await httpB.Client.GetAsync(Blobs.On(b, location));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Concurrent_pushes_of_the_same_blob_through_both_replicas_all_succeed_and_store_it_once()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var a = await cluster.StartInProcessAsync(NoPublication);
        var b = await cluster.StartInProcessAsync(NoPublication);
        using var httpA = new RegistryHttp(a.BaseAddress);
        using var httpB = new RegistryHttp(b.BaseAddress);
        var content = Blobs.Random(7 << 20, seed: 62);

        var pushes = Enumerable.Range(0, 6).Select(i => Blobs.PushAsync(i % 2 == 0 ? httpA : httpB, $"same/repo{i % 3}", content));
        var statuses = await Task.WhenAll(pushes);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(1L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM blobs WHERE digest = @d", ("@d", Blobs.Digest(content))));
        Assert.Equal(3L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM repository_blobs WHERE digest = @d", ("@d", Blobs.Digest(content))));
        for (var i = 0; i < 3; i++)
        {
            var (status, got) = await Blobs.GetAsync(i % 2 == 0 ? httpB : httpA, $"same/repo{i}", Blobs.Digest(content));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(content.AsSpan().SequenceEqual(got));
        }
    }
}
