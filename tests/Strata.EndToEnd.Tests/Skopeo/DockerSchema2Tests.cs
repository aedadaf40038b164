using System.Net;
using System.Text.Json.Nodes;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Skopeo;

/// <summary>Docker image manifest v2 schema 2 (what docker push sends), made by <c>skopeo copy --format v2s2</c>.</summary>
[Trait("Category", "Integration")]
public sealed class DockerSchema2Tests
{
    [Fact]
    public async Task Image_pushed_as_v2s2_is_stored_with_docker_media_types_and_pulls_byte_identical()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var oci = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "v1");
        var ociBlobs = original.ManifestBlobs(oci.Digest);

        await skopeo.CopyAsync(original.Reference("v1"), endpoint.Docker("docker/format:v2s2"), "--format", "v2s2");

        using var http = new RegistryHttp(registry.BaseAddress);
        using var response = await http.GetManifestAsync("docker/format", "v2s2");
        await RegistryHttp.ExpectAsync(response, HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var digest = Digests.Of(bytes);
        Assert.Equal(MediaTypes.DockerManifest, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
        var manifest = JsonNode.Parse(bytes)!;
        Assert.Equal(MediaTypes.DockerManifest, manifest["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.DockerConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        var layers = manifest["layers"]!.AsArray().Select(l => OciDescriptor.FromJson(l!)).ToList();
        Assert.All(layers, l => Assert.Equal(MediaTypes.DockerLayerGzip, l.MediaType));
        // Only the manifest changes format: the layer bytes are the same blobs.
        Assert.Equal(ociBlobs.Skip(1).Select(b => b.Digest), layers.Select(l => l.Digest));

        // dir: keeps the manifest exactly as served; skopeo verifies every blob's digest on the way.
        var dir = sandbox.PathFor("dir");
        await skopeo.CopyAsync(endpoint.Docker("docker/format:v2s2"), $"dir:{dir}");
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir, "manifest.json")));
        foreach (var layer in layers)
        {
            Assert.Equal(original.ReadBlob(layer.Digest), File.ReadAllBytes(Path.Combine(dir, Digests.Hex(layer.Digest))));
        }

        // And a pull into an OCI layout (converted back by skopeo) gives the original layers.
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("docker/format:v2s2"), pulled.Reference("back"));
        foreach (var layer in layers)
        {
            LayoutAssert.SameBlob(original, pulled, layer.Digest);
        }

        var inspected = await skopeo.InspectAsync(endpoint.Docker("docker/format:v2s2"));
        Assert.Equal(digest, inspected["Digest"]!.GetValue<string>());
    }
}
