using System.Security.Cryptography;
using Strata.Tests.Shared;

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

    private static string FindRoot() => SharedTestDataLocator.Find("testdata/cvmfs");
}
