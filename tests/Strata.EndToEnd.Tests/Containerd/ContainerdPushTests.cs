using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Containerd;

/// <summary><c>ctr image push</c> to Strata.</summary>
[Trait("Category", "Integration")]
public sealed class ContainerdPushTests
{
    [Fact]
    public async Task Image_pulled_and_retagged_by_ctr_pushes_to_another_repository_byte_for_byte()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await InProcessRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("containerd/source:v1"));
        await using var containerd = await ContainerdDaemon.StartAsync();
        var source = $"{endpoint.Host}/containerd/source:v1";
        var target = $"{endpoint.Host}/containerd/pushed/by/ctr:v2";
        await containerd.PullAsync(source);

        await containerd.TagAsync(source, target);
        await containerd.PushAsync(target);

        var inspected = await skopeo.InspectAsync(endpoint.Docker("containerd/pushed/by/ctr:v2"));
        Assert.Equal(manifest.Digest, inspected["Digest"]!.GetValue<string>());
        Assert.Equal(["v2"], inspected["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains(SampleImage.EnvironmentVariable, inspected["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        // ctr pushes the content it pulled unchanged: the whole image comes back identical to the original.
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("containerd/pushed/by/ctr:v2"), pulled.Reference("back"));
        Assert.Equal(manifest.Digest, pulled.Resolve("back").Digest);
        LayoutAssert.SameImage(layout, pulled, manifest.Digest);
    }
}
