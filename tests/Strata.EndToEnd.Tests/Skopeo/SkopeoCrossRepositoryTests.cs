using System.Net;
using System.Text.RegularExpressions;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Skopeo;

/// <summary>What skopeo does with an image the registry already holds elsewhere, and with a delete.</summary>
[Trait("Category", "Integration")]
public sealed class SkopeoCrossRepositoryTests
{
    [Fact]
    public async Task Push_to_a_second_repository_mounts_every_layer_from_the_first_and_pulls_identically()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "v1");
        await skopeo.CopyAsync(original.Reference("v1"), endpoint.Docker("mount/first:1"));

        // The sandbox's blob-info cache now knows the layers are in mount/first, so skopeo asks
        // POST /v2/mount/second/blobs/uploads/?mount=…&from=mount/first for each (the config it uploads).
        var second = await skopeo.CopyAsync(original.Reference("v1"), endpoint.Docker("mount/second:1"), "--debug");

        var mounted = Regex.Matches(second.StandardError, @"\.\.\. mount OK").Count;
        Assert.True(mounted == SampleImage.LayerCount, $"expected {SampleImage.LayerCount} layers mounted, saw {mounted}:\n{second.StandardError}");
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("mount/second:1"), pulled.Reference("back"));
        Assert.Equal(manifest.Digest, pulled.Resolve("back").Digest);
        LayoutAssert.SameImage(original, pulled, manifest.Digest);
    }

    [Fact]
    public async Task Delete_removes_the_manifest_from_its_repository_only()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("delete/kept:1"));
        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("delete/gone:1"));

        await skopeo.DeleteAsync(endpoint.Docker("delete/gone:1"));

        using var http = new RegistryHttp(registry.BaseAddress);
        foreach (var reference in new[] { "1", manifest.Digest })
        {
            using var gone = await http.GetManifestAsync("delete/gone", reference);
            await RegistryHttp.ExpectAsync(gone, HttpStatusCode.NotFound);
        }

        var failed = await skopeo.TryCopyAsync(endpoint.Docker("delete/gone:1"), new OciLayout(sandbox.PathFor("none")).Reference("x"));
        Assert.False(failed.Succeeded, $"a pull of the deleted image succeeded:\n{failed.Describe()}");
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("delete/kept:1"), pulled.Reference("kept"));
        LayoutAssert.SameImage(layout, pulled, manifest.Digest);
    }
}
