namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What <see cref="OciLayoutBuilder.BuildSampleImageAsync"/> puts in an image, so tests can check
/// an unpacked copy. Three layers:
/// <list type="number">
/// <item>files, an executable, a symlink, a hard link, an empty folder, a random binary and a file to delete;</item>
/// <item>a file under a new folder;</item>
/// <item>the file to delete removed (a whiteout) and a file added (made by umoci unpack → rm → repack).</item>
/// </list>
/// </summary>
public static class SampleImage
{
    public const int LayerCount = 3;
    public const string Executable = "bin/run";
    public const string ExecutableContent = "#!/bin/sh\necho run\n";
    public const string Hello = "data/hello.txt";
    public const string HelloContent = "hello\n";
    public const string HardLink = "data/hard";
    public const string SymbolicLink = "data/link";
    public const string SymbolicLinkTarget = "hello.txt";
    public const string EmptyDirectory = "data/empty";
    public const string RandomFile = "data/random.bin";
    public const int RandomFileSize = 256 * 1024;
    public const string Deleted = "data/doomed.txt";
    public const string SecondLayerFile = "opt/app/config.json";
    public const string SecondLayerContent = """{"greeting":"from layer two"}""";
    public const string ThirdLayerFile = "data/added.txt";
    public const string ThirdLayerContent = "added in layer three\n";
    public const string EnvironmentVariable = "STRATA_E2E=1";

    /// <summary>A file whose content tells the platforms of a multi-arch image apart.</summary>
    public const string Greeting = "etc/greeting";

    public static string GreetingContent(string architecture) => $"hello from {architecture}\n";

    /// <summary>The random file's content (deterministic).</summary>
    public static byte[] RandomFileContent() => new Prng(seed: 7).Bytes(RandomFileSize);
}
