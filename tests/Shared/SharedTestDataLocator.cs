namespace Strata.Tests.Shared;

/// <summary>
/// Finds the project's shared test data (<c>shared/testdata/…</c>, beside the repository): through
/// <c>STRATA_SHARED</c> (the folder holding <c>testdata/</c>), else by walking up from the test
/// assembly to a <c>shared</c> folder, or to the repository root (<c>Strata.slnx</c>) and then
/// <c>../shared</c>. One file, linked into every test project that reads the CernVM-FS vectors.
/// </summary>
internal static class SharedTestDataLocator
{
    /// <summary>The full path of <c>shared/<paramref name="relative"/></c>; throws with a hint when it cannot be found.</summary>
    public static string Find(string relative)
    {
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

        throw new DirectoryNotFoundException($"shared/{relative} not found; set STRATA_SHARED to the folder holding testdata/.");
    }
}
