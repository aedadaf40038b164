using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Reading;

public sealed class RepositoryReaderBehaviourTests
{
    [Fact]
    public async Task Concurrent_lookups_through_nested_catalogs_all_succeed()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);
        string[] paths = ["/nested/inner.txt", "/nested/level2/file.txt", "/nested/level2/sub/x.txt", "/README.txt", "/nested/big"];

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => reader.LookupAsync(paths[i % paths.Length], CancellationToken.None)));

        Assert.All(results, Assert.NotNull);
        Assert.Equal("/nested/level2", results[2]!.CatalogMountpoint);
    }

    [Fact]
    public async Task Missing_paths_return_null_and_listing_them_fails()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);

        Assert.Null(await reader.LookupAsync("/no/such/file", CancellationToken.None));
        Assert.Null(await reader.LookupAsync("/nested/to-delete.txt", CancellationToken.None));
        await Assert.ThrowsAsync<CvmfsNotFoundException>(() => reader.ListAsync("/no/such", CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => reader.ListAsync("/README.txt", CancellationToken.None));
    }

    [Fact]
    public async Task Listing_a_mount_point_shows_the_nested_catalog_contents()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);

        var root = await reader.ListAsync("/", CancellationToken.None);
        var nested = await reader.ListAsync("/nested/", CancellationToken.None);

        Assert.Equal(EntryFlags.Directory | EntryFlags.NestedMountpoint, root.Single(e => e.Name == "nested").Row.Flags);
        Assert.Equal([".cvmfscatalog", "big", "inner.txt", "level2"], nested.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.All(nested, e => Assert.Equal("/nested", e.CatalogMountpoint));
    }

    [Fact]
    public async Task Revision_1_still_has_the_file_revision_2_deleted()
    {
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, "r1-sync");

        Assert.NotNull(await reader.LookupAsync("/nested/to-delete.txt", CancellationToken.None));
    }

    [Fact]
    public async Task Oversized_manifest_is_refused_without_reading_it_all()
    {
        using var repo = TestVectors.CopyRepo();
        File.WriteAllBytes(Path.Combine(repo.Path, ".cvmfspublished"), new byte[1024 * 1024]);
        using var key = TestVectors.MasterPublicKey();

        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => RepositoryReaderTreeTests.OpenAsync(key, null, repo.Path));

        Assert.Equal(VerificationFailure.SizeLimitExceeded, error.Failure);
    }

    [Fact]
    public async Task Missing_object_surfaces_as_not_found()
    {
        using var repo = TestVectors.CopyRepo();
        File.Delete(Path.Combine(repo.Path, "data/fe/c189a08d3d1ec5bdd256e64480d5734b111291"));
        using var key = TestVectors.MasterPublicKey();
        await using var reader = await RepositoryReaderTreeTests.OpenAsync(key, null, repo.Path);

        var error = await Assert.ThrowsAsync<CvmfsNotFoundException>(() => reader.OpenFileAsync("/README.txt", CancellationToken.None));

        Assert.Equal("data/fe/c189a08d3d1ec5bdd256e64480d5734b111291", error.Path);
    }

    [Fact]
    public async Task Unknown_tag_is_reported_as_not_found()
    {
        using var key = TestVectors.MasterPublicKey();

        await Assert.ThrowsAsync<CvmfsNotFoundException>(() => RepositoryReaderTreeTests.OpenAsync(key, "no-such-tag"));
    }

    [Fact]
    public async Task Disposing_the_reader_removes_its_work_directory()
    {
        using var key = TestVectors.MasterPublicKey();
        var reader = await RepositoryReaderTreeTests.OpenAsync(key, null);
        var catalogFile = reader.RootCatalog.DatabasePath;
        Assert.True(File.Exists(catalogFile));

        await reader.DisposeAsync();

        Assert.False(Directory.Exists(Path.GetDirectoryName(catalogFile)));
    }
}
