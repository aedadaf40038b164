using System.Formats.Tar;
using System.Text;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Buildah;

/// <summary>buildah (rootful, vfs storage) builds on an image pulled from Strata and pushes the result back.</summary>
[Trait("Category", "Integration")]
public sealed class BuildahTests
{
    private const string AddedFile = "data/added-by-buildah.txt";
    private const string AddedContent = "copied in by buildah\n";
    private const string AddedVariable = "BUILT_BY=buildah";

    [Fact]
    public async Task Image_built_from_a_pulled_image_pushes_with_the_copied_file_in_one_new_layer()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        var baseConfig = layout.ReadJsonBlob(layout.ManifestBlobs(manifest.Digest)[0].Digest);
        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("buildah/base:v1"));
        var buildah = new BuildahClient(sandbox);
        var addedSource = sandbox.PathFor("added.txt");
        File.WriteAllText(addedSource, AddedContent);

        var container = await buildah.FromAsync($"{endpoint.Host}/buildah/base:v1");
        await SampleImageAssert.RootFileSystemAsync(await buildah.MountAsync(container));
        await buildah.CopyAsync(container, addedSource, "/" + AddedFile);
        await buildah.ConfigAsync(container, "--env", AddedVariable);
        await buildah.CommitAsync(container, "localhost/strata-e2e/built:v1");
        var pushedDigest = await buildah.PushAsync("localhost/strata-e2e/built:v1", endpoint.Docker("buildah/built/by/buildah:v2"));

        var inspected = await skopeo.InspectAsync(endpoint.Docker("buildah/built/by/buildah:v2"));
        Assert.Equal(pushedDigest, inspected["Digest"]!.GetValue<string>());
        Assert.Equal(["v2"], inspected["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var env = inspected["Env"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(SampleImage.EnvironmentVariable, env);
        Assert.Contains(AddedVariable, env);

        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("buildah/built/by/buildah:v2"), pulled.Reference("back"));
        var back = pulled.Resolve("back");
        Assert.Equal(pushedDigest, back.Digest);
        var blobs = pulled.ManifestBlobs(back.Digest);
        Assert.Equal(SampleImage.LayerCount + 1, blobs.Count - 1);
        // The base layers are the same file systems (buildah may recompress them, so compare diff IDs, not blob digests).
        var diffIds = pulled.ReadJsonBlob(blobs[0].Digest)["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        var baseDiffIds = baseConfig["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Equal(baseDiffIds, diffIds.Take(SampleImage.LayerCount));

        var newLayer = LayerTar.Read(pulled, blobs[^1]);
        var files = newLayer.Where(e => e.Type is not TarEntryType.Directory).ToList();
        Assert.True(files.Count == 1, $"the new layer should hold only {AddedFile}: {string.Join(", ", files.Select(f => $"{f.Name} ({f.Type})"))}");
        Assert.Equal(AddedFile, files[0].Name);
        Assert.Equal(AddedContent, Encoding.UTF8.GetString(files[0].Content!));
    }

    [Fact]
    public async Task From_an_index_with_platform_linux_arm64_builds_on_the_arm64_image()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var amd64 = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "amd64", "amd64");
        var arm64 = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "arm64", "arm64");
        OciLayoutBuilder.WriteIndex(layout, "multi", amd64, arm64);
        await new SkopeoClient(sandbox).CopyAsync(layout.Reference("multi"), endpoint.Docker("buildah/multi:1"), "--all");
        var buildah = new BuildahClient(sandbox);

        var container = await buildah.FromAsync($"{endpoint.Host}/buildah/multi:1", "--platform", "linux/arm64");

        Assert.Equal("arm64", await buildah.InspectAsync(container, "{{.OCIv1.Architecture}}"));
        Assert.Equal(arm64.Digest, await buildah.InspectAsync(container, "{{.FromImageDigest}}"));
        await SampleImageAssert.RootFileSystemAsync(await buildah.MountAsync(container), "arm64");
    }
}
