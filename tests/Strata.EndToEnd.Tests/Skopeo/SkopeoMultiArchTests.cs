using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Skopeo;

/// <summary><c>skopeo copy --all</c> of an image index with linux/amd64 and linux/arm64 images.</summary>
[Trait("Category", "Integration")]
public sealed class SkopeoMultiArchTests
{
    [Fact]
    public async Task Copy_all_of_an_index_round_trips_the_index_and_both_platform_manifests_unchanged()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var amd64 = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "amd64", "amd64");
        var arm64 = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "arm64", "arm64");
        var index = OciLayoutBuilder.WriteIndex(original, "multi", amd64, arm64);

        await skopeo.CopyAsync(original.Reference("multi"), endpoint.Docker("multi/arch:1"), "--all");
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("multi/arch:1"), pulled.Reference("back"), "--all");

        var back = pulled.Resolve("back");
        Assert.Equal((MediaTypes.OciIndex, index.Digest), (back.MediaType, back.Digest));
        LayoutAssert.SameBlob(original, pulled, index.Digest);
        Assert.Equal(
            [("linux/amd64", amd64.Digest), ("linux/arm64", arm64.Digest)],
            pulled.IndexManifests(back.Digest).Select(m => (m.Platform, m.Digest)));
        LayoutAssert.SameImage(original, pulled, amd64.Digest);
        LayoutAssert.SameImage(original, pulled, arm64.Digest);
    }

    [Fact]
    public async Task Each_platform_manifest_of_a_pushed_index_is_served_by_digest_with_its_media_type()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var amd64 = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "amd64", "amd64");
        var arm64 = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "arm64", "arm64");
        var index = OciLayoutBuilder.WriteIndex(original, "multi", amd64, arm64);
        await skopeo.CopyAsync(original.Reference("multi"), endpoint.Docker("multi/arch:1"), "--all");
        using var http = new RegistryHttp(registry.BaseAddress);

        foreach (var (reference, expected) in new[] { ("1", index), (amd64.Digest, amd64), (arm64.Digest, arm64) })
        {
            using var response = await http.GetManifestAsync("multi/arch", reference);
            await RegistryHttp.ExpectAsync(response, System.Net.HttpStatusCode.OK);
            Assert.Equal(expected.MediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(expected.Digest, response.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(original.ReadBlob(expected.Digest), await response.Content.ReadAsByteArrayAsync());
        }

        // A platform-specific pull (what `podman pull --arch arm64` does) resolves the index to that image.
        foreach (var (architecture, manifest) in new[] { ("amd64", amd64), ("arm64", arm64) })
        {
            var inspected = await skopeo.InspectAsync(endpoint.Docker("multi/arch:1"), architecture);
            Assert.Equal(architecture, inspected["Architecture"]!.GetValue<string>());
            Assert.Equal(
                original.ManifestBlobs(manifest.Digest).Skip(1).Select(l => l.Digest),
                inspected["Layers"]!.AsArray().Select(l => l!.GetValue<string>()));
        }
    }
}
