namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    // Names whose ordinal order differs from culture-aware order: uppercase sorts before lowercase,
    // and '-' < '.' < '/' < digits < uppercase < '_' < lowercase.
    protected static readonly string[] TrickyNames = ["a", "B", "a-b", "a.b", "a/b", "a_b", "ab", "A", "b", "a0", "Z", "a/b/c", "z"];

    [Fact]
    public async Task RepositoryExists_for_unknown_repository_is_false()
    {
        Assert.False(await Store.RepositoryExistsAsync("library/nope", Ct));
    }

    [Fact]
    public async Task LinkBlob_creates_the_repository()
    {
        await Store.LinkBlobAsync("library/alpine", TestData.Blob("x"), Ct);

        Assert.True(await Store.RepositoryExistsAsync("library/alpine", Ct));
        Assert.Equal(["library/alpine"], await Store.ListRepositoriesAsync(null, 10, Ct));
    }

    [Fact]
    public async Task PutManifest_creates_the_repository()
    {
        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("team/app", "m")), Ct);

        Assert.True(await Store.RepositoryExistsAsync("team/app", Ct));
    }

    [Fact]
    public async Task ListRepositories_pages_in_ordinal_order()
    {
        foreach (var name in TrickyNames)
        {
            await Store.LinkBlobAsync(name, TestData.Blob("shared"), Ct);
        }

        var expected = TrickyNames.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await Store.ListRepositoriesAsync(null, 100, Ct));
        Assert.Equal(expected, await ReadAllPagesAsync((last, limit) => Store.ListRepositoriesAsync(last, limit, Ct), pageSize: 3));
    }

    [Fact]
    public async Task ListRepositories_after_a_name_that_does_not_exist_starts_after_it()
    {
        foreach (var name in TrickyNames)
        {
            await Store.LinkBlobAsync(name, TestData.Blob("shared"), Ct);
        }

        var expected = TrickyNames.Where(n => string.CompareOrdinal(n, "a.c") > 0).Order(StringComparer.Ordinal).Take(2).ToList();
        Assert.Equal(expected, await Store.ListRepositoriesAsync("a.c", 2, Ct));
    }

    [Fact]
    public async Task ListRepositories_with_limit_zero_or_past_the_end_is_empty()
    {
        await Store.LinkBlobAsync("a", TestData.Blob("x"), Ct);

        Assert.Empty(await Store.ListRepositoriesAsync(null, 0, Ct));
        Assert.Empty(await Store.ListRepositoriesAsync("a", 10, Ct));
        Assert.Empty(await Store.ListRepositoriesAsync("zzz", 10, Ct));
    }
}
