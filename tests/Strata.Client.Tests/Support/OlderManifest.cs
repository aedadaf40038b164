using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Tests.Support;

/// <summary>Signed manifests for other revisions of the test repository, made with its TEST-ONLY repository key.</summary>
internal static class OlderManifest
{
    /// <summary>A validly signed manifest with revision <paramref name="revision"/> whose root catalog is revision 1's (tag r1-sync).</summary>
    public static async Task<byte[]> PointingToRevision1Async(long revision)
    {
        var real = File.ReadAllBytes(Path.Combine(TestVectors.Repo, ".cvmfspublished"));
        var manifest = SignedManifest.Parse(real).Manifest;
        using var key = Strata.Client.Hosting.MasterKeys.Load(TestVectors.MasterKeyFile)[0];
        var options = new RepositoryReaderOptions { RepositoryName = TestVectors.RepositoryName, MasterKeys = [key] };
        await using var reader = await RepositoryReader.OpenAsync(new FileSystemRepositorySource(TestVectors.Repo), options, CancellationToken.None);
        var tag = (await reader.ListTagsAsync(CancellationToken.None)).Single(t => t.Name == "r1-sync");
        using var repositoryKey = TestVectors.RepositoryPrivateKey();
        return SignedManifest.Create(manifest with { Revision = revision, RootCatalogHash = tag.RootCatalogHash, RootCatalogSize = tag.RootCatalogSize }, repositoryKey);
    }
}
