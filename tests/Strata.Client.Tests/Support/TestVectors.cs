using System.Security.Cryptography;

namespace Strata.Client.Tests.Support;

/// <summary>The real repository made by the CernVM-FS 2.12 tools (shared/testdata/cvmfs).</summary>
internal static class TestVectors
{
    public const string RepositoryName = "vectors.strata.test";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Repo => Path.Combine(Root, "repo");

    public static string Expected(string name) => Path.Combine(Root, "expected", name);

    public static string MasterKeyFile => Path.Combine(Root, "keys", "vectors.strata.test.pub");

    public static string DumpTreeScript => Path.Combine(Root, "tools", "dump-tree.py");

    public static RSA RepositoryPrivateKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(Root, "keys", "private-TEST-ONLY", "vectors.strata.test.key")));
        return rsa;
    }

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("STRATA_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.Combine(fromEnvironment, "testdata", "cvmfs");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "testdata", "cvmfs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/testdata/cvmfs not found; set STRATA_SHARED.");
    }
}
