using Strata.Storage.Drivers;

namespace Strata.Storage.Tests.Conformance;

/// <summary>Deleting objects and prefixes; moving objects over others.</summary>
public abstract partial class BlobDriverConformanceTests
{
    [Fact]
    public async Task Delete_removes_the_object_and_nothing_else()
    {
        await PutAsync("folder/a", [1]);
        await PutAsync("folder/b", [2]);

        await Driver.DeleteAsync("folder/a", Ct);

        Assert.Null(await Driver.StatAsync("folder/a", Ct));
        Assert.Equal([2], await ReadAllAsync("folder/b"));
    }

    [Fact]
    public async Task Delete_of_a_prefix_removes_everything_under_it()
    {
        await PutAsync("upload/1/data", [1]);
        await PutAsync("upload/1/deep/more", [2]);
        await PutAsync("upload/2/data", [3]);

        await Driver.DeleteAsync("upload/1", Ct);

        Assert.Empty(await ListAllAsync("upload/1"));
        Assert.Null(await Driver.StatAsync("upload/1/data", Ct));
        Assert.Equal([3], await ReadAllAsync("upload/2/data"));
    }

    [Fact]
    public async Task Delete_of_a_prefix_keeps_paths_that_only_share_a_name_prefix()
    {
        await PutAsync("root/ab/x", [1]);
        await PutAsync("root/abc/y", [2]);
        await PutAsync("root/abcd", [3]);

        await Driver.DeleteAsync("root/ab", Ct);

        Assert.Equal([2], await ReadAllAsync("root/abc/y"));
        Assert.Equal([3], await ReadAllAsync("root/abcd"));
    }

    [Fact]
    public async Task Delete_of_a_missing_path_is_not_an_error()
    {
        await Driver.DeleteAsync("missing", Ct);
        await Driver.DeleteAsync("missing/deeper/still", Ct);
    }

    [Fact]
    public async Task Put_after_deleting_the_prefix_works()
    {
        await PutAsync("folder/sub/object", [1]);
        await Driver.DeleteAsync("folder", Ct);

        await PutAsync("folder/sub/object", [2]);

        Assert.Equal([2], await ReadAllAsync("folder/sub/object"));
    }

    [Fact]
    public async Task Move_to_a_new_path_moves_the_object()
    {
        var content = Pattern(5_000);
        await PutAsync("uploads/1/data", content);

        await Driver.MoveAsync("uploads/1/data", "blobs/sha256/ab/abcdef", Ct);

        Assert.Null(await Driver.StatAsync("uploads/1/data", Ct));
        Assert.Equal(content, await ReadAllAsync("blobs/sha256/ab/abcdef"));
    }

    [Fact]
    public async Task Move_over_an_existing_object_replaces_it()
    {
        var content = Pattern(500, seed: 1);
        await PutAsync("source", content);
        await PutAsync("destination", Pattern(9_000, seed: 2));

        await Driver.MoveAsync("source", "destination", Ct);

        Assert.Null(await Driver.StatAsync("source", Ct));
        Assert.Equal(content, await ReadAllAsync("destination"));
    }

    [Fact]
    public async Task Move_of_a_missing_source_throws_not_found_and_keeps_the_destination()
    {
        await PutAsync("destination", [7]);

        var e = await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => Driver.MoveAsync("missing", "destination", Ct));

        Assert.Equal("missing", e.Path);
        Assert.Equal([7], await ReadAllAsync("destination"));
    }

    [Fact]
    public async Task Move_of_a_prefix_throws_not_found()
    {
        await PutAsync("folder/object", [1]);

        await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => Driver.MoveAsync("folder", "elsewhere", Ct));
        Assert.Equal([1], await ReadAllAsync("folder/object"));
    }

    [Fact]
    public async Task Move_onto_itself_keeps_the_object()
    {
        // An object store's copy-then-delete must not delete the only copy here.
        await PutAsync("object", [1, 2, 3]);

        await Driver.MoveAsync("object", "object", Ct);

        Assert.Equal([1, 2, 3], await ReadAllAsync("object"));
    }
}
