using System.Text.Json.Nodes;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Makes test images in OCI layouts: real ones with umoci (<see cref="SampleImage"/>), and image
/// indexes written by hand (umoci 0.4.7 cannot make them).
/// </summary>
public static class OciLayoutBuilder
{
    /// <summary>
    /// Builds <see cref="SampleImage"/> for linux/<paramref name="architecture"/> as <paramref name="tag"/>
    /// in the layout at <paramref name="layoutPath"/> (created when missing) and returns its manifest descriptor.
    /// </summary>
    public static async Task<OciDescriptor> BuildSampleImageAsync(string layoutPath, string tag, string architecture = "amd64")
    {
        using var work = new TempDirectory("umoci");
        var image = $"{layoutPath}:{tag}";
        if (!File.Exists(Path.Combine(layoutPath, "index.json")))
        {
            await Umoci.RunAsync("init", "--layout", layoutPath);
        }

        await Umoci.RunAsync("new", "--image", image);

        var first = work.CreateDirectory("layer1");
        await WriteFirstLayerTreeAsync(first, architecture);
        await Umoci.RunAsync("insert", "--image", image, first, "/");

        var second = work.CreateDirectory("layer2");
        File.WriteAllText(Path.Combine(second, "config.json"), SampleImage.SecondLayerContent);
        await Umoci.RunAsync("insert", "--image", image, second, "/opt/app");

        var bundle = work.Combine("bundle");
        await Umoci.RunAsync("unpack", "--image", image, bundle);
        File.Delete(Path.Combine(bundle, "rootfs", SampleImage.Deleted));
        File.WriteAllText(Path.Combine(bundle, "rootfs", SampleImage.ThirdLayerFile), SampleImage.ThirdLayerContent);
        await Umoci.RunAsync("repack", "--image", image, bundle);

        await Umoci.RunAsync("config", "--image", image,
            "--os", "linux", "--architecture", architecture,
            "--config.entrypoint", "/" + SampleImage.Executable,
            "--config.env", SampleImage.EnvironmentVariable,
            "--config.label", "org.example.test=strata-e2e");
        await Umoci.RunAsync("gc", "--layout", layoutPath);

        var manifest = new OciLayout(layoutPath).Resolve(tag);
        return manifest with { Platform = $"linux/{architecture}" };
    }

    /// <summary>Writes an image index listing <paramref name="manifests"/> (with their platforms) and tags it.</summary>
    public static OciDescriptor WriteIndex(OciLayout layout, string tag, params OciDescriptor[] manifests)
    {
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = new JsonArray([.. manifests.Select(m => (JsonNode)m.ToJson())]),
        };
        var descriptor = layout.WriteJsonBlob(index, MediaTypes.OciIndex);
        layout.Tag(descriptor, tag);
        return descriptor;
    }

    private static async Task WriteFirstLayerTreeAsync(string root, string architecture)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, SampleImage.EmptyDirectory));
        File.WriteAllText(Path.Combine(root, SampleImage.Greeting), SampleImage.GreetingContent(architecture));
        var executable = Path.Combine(root, SampleImage.Executable);
        File.WriteAllText(executable, SampleImage.ExecutableContent);
        File.SetUnixFileMode(executable, (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Combine(root, SampleImage.Hello), SampleImage.HelloContent);
        File.WriteAllText(Path.Combine(root, SampleImage.Deleted), "to be deleted in layer three\n");
        File.WriteAllBytes(Path.Combine(root, SampleImage.RandomFile), SampleImage.RandomFileContent());
        File.CreateSymbolicLink(Path.Combine(root, SampleImage.SymbolicLink), SampleImage.SymbolicLinkTarget);
        // .NET has no API for hard links.
        (await ProcessRunner.RunAsync("ln", Path.Combine(root, SampleImage.Hello), Path.Combine(root, SampleImage.HardLink))).EnsureSuccess();
    }
}
