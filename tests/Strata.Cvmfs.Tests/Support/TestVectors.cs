using System.Security.Cryptography;
using Strata.Cvmfs.Objects;
using Strata.Tests.Shared;

namespace Strata.Cvmfs.Tests.Support;

/// <summary>
/// The real repository made by the CernVM-FS 2.12 tools (shared/testdata/cvmfs). Found through
/// <c>STRATA_SHARED</c>, else by walking up from the test assembly to a <c>shared</c> folder beside the repository.
/// </summary>
internal static class TestVectors
{
    public const string RepositoryName = "vectors.strata.test";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Repo => Path.Combine(Root, "repo");

    public static string Expected(string name) => Path.Combine(Root, "expected", name);

    public static string Key(string name) => Path.Combine(Root, "keys", name);

    public static string PrivateKey(string name) => Path.Combine(Root, "keys", "private-TEST-ONLY", name);

    public static RSA MasterPublicKey() => LoadPem(Key("vectors.strata.test.pub"));

    public static RSA MasterPrivateKey() => LoadPem(PrivateKey("vectors.strata.test.masterkey"));

    public static RSA RepositoryPrivateKey() => LoadPem(PrivateKey("vectors.strata.test.key"));

    public static byte[] ReadRepoFile(string relative) => File.ReadAllBytes(Path.Combine(Repo, relative));

    public static byte[] DecompressObject(string relative)
    {
        using var input = new MemoryStream(ReadRepoFile(relative));
        using var content = ObjectDecoder.OpenRead(input, ObjectCompression.Zlib, 64L * 1024 * 1024, null, relative);
        using var output = new MemoryStream();
        content.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Decompresses an object (e.g. a catalog) into <paramref name="directory"/> and returns the file path.</summary>
    public static string ExtractObject(string relative, string directory)
    {
        var path = System.IO.Path.Combine(directory, System.IO.Path.GetFileName(relative) + ".sqlite");
        File.WriteAllBytes(path, DecompressObject(relative));
        return path;
    }

    /// <summary>Copies the repository to a fresh temporary directory (for tamper tests).</summary>
    public static TemporaryDirectory CopyRepo()
    {
        var target = new TemporaryDirectory();
        foreach (var file in Directory.EnumerateFiles(Repo, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target.Path, Path.GetRelativePath(Repo, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            File.SetAttributes(destination, FileAttributes.Normal);
        }

        return target;
    }

    private static RSA LoadPem(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }

    private static string FindRoot() => SharedTestDataLocator.Find("testdata/cvmfs");
}
