using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Skopeo;

/// <summary>skopeo pushes a umoci-built image (files, symlink, hard link, executable, whiteout, empty folder) and pulls it back.</summary>
[Trait("Category", "Integration")]
public sealed class SkopeoRoundTripTests
{
    [Fact]
    public async Task Copy_to_registry_and_back_preserves_manifest_config_and_layers_byte_for_byte()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "v1");
        Assert.Equal(SampleImage.LayerCount + 1, original.ManifestBlobs(manifest.Digest).Count);

        await skopeo.CopyAsync(original.Reference("v1"), endpoint.Docker("a/b/c:tag"));
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("a/b/c:tag"), pulled.Reference("back"));

        Assert.Equal(manifest.Digest, pulled.Resolve("back").Digest);
        LayoutAssert.SameImage(original, pulled, manifest.Digest);
        Assert.Equal(
            original.ManifestBlobs(manifest.Digest).Select(b => b.Digest).Append(manifest.Digest).Order(StringComparer.Ordinal),
            pulled.BlobDigests());
        Assert.True(File.Exists(Path.Combine(sandbox.CacheDirectory, "blob-info-cache-v1.boltdb")), "skopeo did not use the sandbox's private blob-info cache");
    }

    [Fact]
    public async Task Inspect_shows_the_pushed_digest_and_tags_and_list_tags_lists_every_tag()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");

        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("team/tools/app:1.0"));
        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("team/tools/app:latest"));

        var inspected = await skopeo.InspectAsync(endpoint.Docker("team/tools/app:1.0"));
        Assert.Equal(manifest.Digest, inspected["Digest"]!.GetValue<string>());
        Assert.Equal(["1.0", "latest"], inspected["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal("amd64", inspected["Architecture"]!.GetValue<string>());
        Assert.Contains(SampleImage.EnvironmentVariable, inspected["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        var layers = layout.ManifestBlobs(manifest.Digest).Skip(1).Select(l => l.Digest);
        Assert.Equal(layers, inspected["Layers"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(File.ReadAllText(layout.BlobPath(manifest.Digest)), await skopeo.InspectRawAsync(endpoint.Docker("team/tools/app:latest")));

        var tags = await skopeo.ListTagsAsync(endpoint.Docker("team/tools/app"));
        Assert.Equal(["1.0", "latest"], tags.Order(StringComparer.Ordinal));
    }
}
