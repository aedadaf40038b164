using System.Text.Json.Nodes;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Podman;

/// <summary>podman (rootful, vfs storage) pulls from and pushes to Strata.</summary>
[Trait("Category", "Integration")]
public sealed class PodmanTests
{
    [Fact]
    public async Task Pulled_image_mounts_with_every_file_kind_and_whiteouts_applied()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var layout = new OciLayout(sandbox.PathFor("layout"));
        await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        await new SkopeoClient(sandbox).CopyAsync(layout.Reference("v1"), endpoint.Docker("podman/source:v1"));
        var podman = new PodmanClient(sandbox);
        var image = $"{endpoint.Host}/podman/source:v1";

        await podman.PullAsync(image);
        var root = await podman.MountAsync(image);
        try
        {
            Assert.True(Directory.Exists(root), $"podman image mount printed '{root}', which is not a folder");
            string At(string relative) => Path.Combine(root, relative);
            Assert.Equal(SampleImage.HelloContent, File.ReadAllText(At(SampleImage.Hello)));
            Assert.Equal(SampleImage.GreetingContent("amd64"), File.ReadAllText(At(SampleImage.Greeting)));
            Assert.Equal(SampleImage.RandomFileContent(), File.ReadAllBytes(At(SampleImage.RandomFile)));
            Assert.Equal(SampleImage.ExecutableContent, File.ReadAllText(At(SampleImage.Executable)));
            Assert.True(File.GetUnixFileMode(At(SampleImage.Executable)).HasFlag(UnixFileMode.UserExecute), "the executable lost its x bit");
            Assert.Equal(SampleImage.SymbolicLinkTarget, new FileInfo(At(SampleImage.SymbolicLink)).LinkTarget);
            Assert.Equal(await InodeAsync(At(SampleImage.Hello)), await InodeAsync(At(SampleImage.HardLink)));
            Assert.Empty(Directory.EnumerateFileSystemEntries(At(SampleImage.EmptyDirectory)));
            Assert.Equal(SampleImage.SecondLayerContent, File.ReadAllText(At(SampleImage.SecondLayerFile)));
            Assert.Equal(SampleImage.ThirdLayerContent, File.ReadAllText(At(SampleImage.ThirdLayerFile)));
            Assert.False(File.Exists(At(SampleImage.Deleted)), "the file deleted in layer three (a whiteout) is still there");
            Assert.Empty(Directory.EnumerateFileSystemEntries(root, ".wh.*", SearchOption.AllDirectories));
        }
        finally
        {
            await podman.UnmountAsync(image);
        }
    }

    [Fact]
    public async Task Image_pulled_by_podman_pushes_to_another_repository_with_the_same_config()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        var config = layout.ManifestBlobs(manifest.Digest)[0];
        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("podman/source:v1"));
        var podman = new PodmanClient(sandbox);

        await podman.PullAsync($"{endpoint.Host}/podman/source:v1");
        await podman.PushAsync($"{endpoint.Host}/podman/source:v1", $"{endpoint.Host}/podman/pushed/by/podman:v2");

        var inspected = await skopeo.InspectAsync(endpoint.Docker("podman/pushed/by/podman:v2"));
        Assert.Equal(["v2"], inspected["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(SampleImage.LayerCount, inspected["Layers"]!.AsArray().Count);
        Assert.Contains(SampleImage.EnvironmentVariable, inspected["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        // podman may recompress layers, but the image (its config, whose digest is the image ID) is the same.
        var raw = JsonNode.Parse(await skopeo.InspectRawAsync(endpoint.Docker("podman/pushed/by/podman:v2")))!;
        Assert.Equal(config.Digest, raw["config"]!["digest"]!.GetValue<string>());

        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("podman/pushed/by/podman:v2"), pulled.Reference("back"));
        LayoutAssert.SameBlob(layout, pulled, config.Digest);
    }

    private static async Task<string> InodeAsync(string path) =>
        (await ProcessRunner.RunAsync("stat", "-c", "%d:%i", path)).EnsureSuccess().StandardOutput.Trim();
}
