namespace Strata.Storage.Tests.Conformance;

/// <summary>Every operation refuses a path that could escape the store or be read two ways.</summary>
public abstract partial class BlobDriverConformanceTests
{
    public static TheoryData<string> InvalidPaths => new()
    {
        "",
        "../x",
        "a/../../x",
        "..",
        ".",
        "/abs",
        "a/",
        "a//b",
        "a/./b",
        "a/../b",
        "a\\b",
        "a b",
        "a:b",
        "a\n",
        "\u00e4",
        new string('a', 1025),
    };

    [Theory]
    [MemberData(nameof(InvalidPaths))]
    public async Task Invalid_path_is_rejected_by_every_operation(string path)
    {
        await PutAsync("valid", [1]);

        await Assert.ThrowsAsync<ArgumentException>(() => Driver.StatAsync(path, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.OpenReadAsync(path, 0, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.PutAsync(path, new MemoryStream([1]), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.OpenWriterAsync(path, append: false, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.MoveAsync(path, "elsewhere", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.MoveAsync("valid", path, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Driver.DeleteAsync(path, Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in Driver.ListAsync(path, Ct))
            {
            }
        });

        // The rejected move must not have touched its valid side.
        Assert.Equal([1], await ReadAllAsync("valid"));
    }
}
