namespace Strata.Publish.Tests.Support;

/// <summary>
/// The repository made by the real CernVM-FS 2.12 tools (shared/testdata/cvmfs): through
/// <c>STRATA_SHARED</c>, else a <c>shared</c> folder beside the repository.
/// </summary>
internal static class SharedTestVectors
{
    public const string RepositoryName = "vectors.strata.test";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    private static string FindRoot()
    {
        const string relative = "testdata/cvmfs";
        var configured = Environment.GetEnvironmentVariable("STRATA_SHARED");
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(Path.Combine(configured, relative));
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
            {
                candidate = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", relative));
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("shared/testdata/cvmfs not found; set STRATA_SHARED to the folder holding testdata/");
    }
}
