using Strata.Tests.Shared;

namespace Strata.Server.Tests.Cvmfs;

/// <summary>The real CernVM-FS repository of shared/testdata/cvmfs (made by the CernVM-FS 2.12 tools).</summary>
internal static class SharedTestRepository
{
    public const string Fqrn = "vectors.strata.test";

    /// <summary>The served tree (<c>repo/</c>): found via <c>STRATA_SHARED</c>, else as <c>../shared</c> beside the repository root.</summary>
    public static string Directory { get; } = Find();

    /// <summary>Copies the repository into a Strata data folder, where the server serves it from.</summary>
    public static void CopyInto(string dataDirectory)
    {
        var target = Path.Combine(dataDirectory, "storage", "cvmfs", Fqrn);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static string Find() => SharedTestDataLocator.Find("testdata/cvmfs/repo");
}
