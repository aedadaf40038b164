namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>Checks a client's unpacked copy of <see cref="SampleImage"/>.</summary>
public static class SampleImageAssert
{
    /// <summary>
    /// The root file system at <paramref name="root"/> holds every file kind of the sample image for
    /// linux/<paramref name="architecture"/>, with all three layers applied (the whiteout included).
    /// </summary>
    public static async Task RootFileSystemAsync(string root, string architecture = "amd64")
    {
        Assert.True(Directory.Exists(root), $"'{root}' is not a folder");
        string At(string relative) => Path.Combine(root, relative);
        Assert.Equal(SampleImage.HelloContent, File.ReadAllText(At(SampleImage.Hello)));
        Assert.Equal(SampleImage.GreetingContent(architecture), File.ReadAllText(At(SampleImage.Greeting)));
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

    private static async Task<string> InodeAsync(string path) =>
        (await ProcessRunner.RunAsync("stat", "-c", "%d:%i", path)).EnsureSuccess().StandardOutput.Trim();
}
