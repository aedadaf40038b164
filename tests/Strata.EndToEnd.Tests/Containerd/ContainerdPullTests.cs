using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Containerd;

/// <summary>containerd 1.6 (a private daemon driven with <c>ctr</c>) pulls from Strata and unpacks what it pulled.</summary>
[Trait("Category", "Integration")]
public sealed class ContainerdPullTests
{
    [Fact]
    public async Task Ctr_pull_lists_the_pushed_digest_and_mounts_every_file_kind_with_whiteouts_applied()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        await new SkopeoClient(sandbox).CopyAsync(layout.Reference("v1"), endpoint.Docker("containerd/source:v1"));
        await using var containerd = await ContainerdDaemon.StartAsync();
        var image = $"{endpoint.Host}/containerd/source:v1";

        await containerd.PullAsync(image);

        var images = await containerd.ListImagesAsync();
        Assert.True(images.TryGetValue(image, out var digest), $"ctr image ls does not list {image}: {string.Join(", ", images.Keys)}");
        Assert.Equal(manifest.Digest, digest);
        var content = await containerd.ContentDigestsAsync();
        Assert.All(layout.ManifestBlobs(manifest.Digest), blob => Assert.Contains(blob.Digest, content));
        await using var mount = await containerd.MountAsync(image);
        await SampleImageAssert.RootFileSystemAsync(mount.RootPath);
    }

    [Fact]
    public async Task Ctr_pull_of_an_index_for_linux_arm64_fetches_and_mounts_only_the_arm64_image()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var amd64 = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "amd64", "amd64");
        var arm64 = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "arm64", "arm64");
        var index = OciLayoutBuilder.WriteIndex(layout, "multi", amd64, arm64);
        await new SkopeoClient(sandbox).CopyAsync(layout.Reference("multi"), endpoint.Docker("containerd/multi:1"), "--all");
        await using var containerd = await ContainerdDaemon.StartAsync();
        var image = $"{endpoint.Host}/containerd/multi:1";

        await containerd.PullAsync(image, "--platform", "linux/arm64");

        Assert.Equal(index.Digest, (await containerd.ListImagesAsync())[image]);
        var content = await containerd.ContentDigestsAsync();
        var arm64Blobs = layout.ManifestBlobs(arm64.Digest).Select(b => b.Digest).ToHashSet();
        Assert.Contains(arm64.Digest, content);
        Assert.All(arm64Blobs, digest => Assert.Contains(digest, content));
        // The first layer holds the per-platform greeting, so it always differs; layers that happen to be identical are shared.
        Assert.All(layout.ManifestBlobs(amd64.Digest).Select(b => b.Digest).Where(d => !arm64Blobs.Contains(d)),
            digest => Assert.DoesNotContain(digest, content));
        await using var mount = await containerd.MountAsync(image, "linux/arm64");
        await SampleImageAssert.RootFileSystemAsync(mount.RootPath, "arm64");
    }
}
