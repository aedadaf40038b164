namespace Strata.Storage.Tests.Conformance;

/// <summary>Listing: recursive, full paths, prefixes are whole path components.</summary>
public abstract partial class BlobDriverConformanceTests
{
    [Fact]
    public async Task List_is_recursive_and_returns_full_paths()
    {
        await PutAsync("root/a", [1]);
        await PutAsync("root/b/c", [1]);
        await PutAsync("root/b/d/e", [1]);
        await PutAsync("other/f", [1]);

        var paths = (await ListAllAsync("root")).Select(o => o.Path).Order(StringComparer.Ordinal);

        Assert.Equal(["root/a", "root/b/c", "root/b/d/e"], paths);
    }

    [Fact]
    public async Task List_of_a_nested_prefix_returns_only_what_is_under_it()
    {
        await PutAsync("root/a", [1]);
        await PutAsync("root/b/c", [1]);
        await PutAsync("root/b/d/e", [1]);

        var paths = (await ListAllAsync("root/b")).Select(o => o.Path).Order(StringComparer.Ordinal);

        Assert.Equal(["root/b/c", "root/b/d/e"], paths);
    }

    [Fact]
    public async Task List_reports_size_and_modification_time()
    {
        var before = DateTimeOffset.UtcNow;
        await PutAsync("root/small", Pattern(10));
        await PutAsync("root/empty", []);
        await PutAsync("root/big", Pattern(70_000));

        var sizes = (await ListAllAsync("root")).ToDictionary(o => o.Path, o => o);

        Assert.Equal(10, sizes["root/small"].Size);
        Assert.Equal(0, sizes["root/empty"].Size);
        Assert.Equal(70_000, sizes["root/big"].Size);
        Assert.All(sizes.Values, o => Assert.True(o.LastModified >= before - ClockTolerance));
    }

    [Fact]
    public async Task List_of_a_missing_prefix_yields_nothing()
    {
        await PutAsync("root/a", [1]);

        Assert.Empty(await ListAllAsync("nothing/here"));
    }

    [Fact]
    public async Task List_excludes_paths_that_only_share_a_name_prefix()
    {
        await PutAsync("root/ab/x", [1]);
        await PutAsync("root/abc/y", [1]);
        await PutAsync("root/abcd", [1]);

        var paths = (await ListAllAsync("root/ab")).Select(o => o.Path);

        Assert.Equal(["root/ab/x"], paths);
    }

    [Fact]
    public async Task List_of_an_object_path_yields_nothing()
    {
        await PutAsync("root/object", [1]);

        Assert.Empty(await ListAllAsync("root/object"));
    }
}
