using System.Net;
using Strata.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Strata.EndToEnd.Tests.Crash;

/// <summary>
/// <c>kill -9</c> of the server (its own process) while skopeo pushes a large image, then a
/// restart on the same data folder: nothing complete is lost, nothing partial becomes visible.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CrashDuringPushTests(ITestOutputHelper output)
{
    private const long LargeLayerBytes = 200L * 1024 * 1024;
    private const long KillAfterBytes = 48L * 1024 * 1024;

    [Fact]
    public async Task Kill_9_mid_push_keeps_the_complete_image_hides_the_partial_one_and_the_push_succeeds_again()
    {
        using var sandbox = new ToolSandbox();
        var skopeo = new SkopeoClient(sandbox);
        var data = sandbox.PathFor("strata-data");
        var layout = new OciLayout(sandbox.PathFor("layout"));
        var imageA = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "a");
        var imageB = LargeImageWriter.Write(layout, "b", LargeLayerBytes, seed: 200);

        var first = await StrataProcess.StartAsync(data);
        ProcessResult pushB;
        try
        {
            IRegistryEndpoint endpoint = first;
            await skopeo.CopyAsync(layout.Reference("a"), endpoint.Docker("crash/a:1"));
            var before = DirectorySize.Of(data);

            await using var copy = skopeo.StartCopy(layout.Reference("b"), endpoint.Docker("crash/b:1"));
            var midUpload = await DirectorySize.WaitForAsync(data, before + KillAfterBytes, TimeSpan.FromSeconds(60), copy.Exited);
            await first.KillAsync();
            pushB = await copy.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(midUpload, $"the large layer never reached the data folder:\n{pushB.Describe()}\n{first.Output()}");
            output.WriteLine($"killed with {DirectorySize.Of(data) - before} bytes of image B in the data folder; skopeo exit code {pushB.ExitCode}");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await StrataProcess.StartAsync(data);
        IRegistryEndpoint restarted = second;

        var pulledA = new OciLayout(sandbox.PathFor("pulled-a"));
        await skopeo.CopyAsync(restarted.Docker("crash/a:1"), pulledA.Reference("a"));
        Assert.Equal(imageA.Digest, pulledA.Resolve("a").Digest);
        LayoutAssert.SameImage(layout, pulledA, imageA.Digest);

        using var http = new RegistryHttp(second.BaseAddress);
        using (var manifestB = await http.GetManifestAsync("crash/b", "1"))
        {
            if (pushB.Succeeded)
            {
                // The push finished before the kill: then it must be whole.
                await RegistryHttp.ExpectAsync(manifestB, HttpStatusCode.OK);
            }
            else
            {
                await RegistryHttp.ExpectAsync(manifestB, HttpStatusCode.NotFound);
                Assert.Contains("MANIFEST_UNKNOWN", await manifestB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                // Nor is the half-uploaded layer visible as a blob.
                var layer = layout.ManifestBlobs(imageB.Digest)[1];
                using var head = await http.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/crash/b/blobs/{layer.Digest}"));
                await RegistryHttp.ExpectAsync(head, HttpStatusCode.NotFound);
            }
        }

        Assert.Equal(["1"], await skopeo.ListTagsAsync(restarted.Docker("crash/a")));

        await skopeo.CopyAsync(layout.Reference("b"), restarted.Docker("crash/b:1"));
        var pulledB = new OciLayout(sandbox.PathFor("pulled-b"));
        await skopeo.CopyAsync(restarted.Docker("crash/b:1"), pulledB.Reference("b"));
        Assert.Equal(imageB.Digest, pulledB.Resolve("b").Digest);
        LayoutAssert.SameImage(layout, pulledB, imageB.Digest);
    }
}
