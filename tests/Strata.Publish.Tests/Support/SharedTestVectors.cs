using Strata.Tests.Shared;

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

    private static string FindRoot() => SharedTestDataLocator.Find("testdata/cvmfs");
}
