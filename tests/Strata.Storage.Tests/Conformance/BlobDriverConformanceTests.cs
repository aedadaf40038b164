using Strata.Storage.Drivers;

namespace Strata.Storage.Tests.Conformance;

/// <summary>
/// The behaviour every <see cref="IBlobDriver"/> must share, in the spirit of distribution's
/// driver/testsuites: each driver's test class derives from this and supplies
/// <see cref="CreateDriver"/>. Written only against the interface, so the filesystem and S3
/// drivers are held to the same edge cases. Each test gets a fresh class instance, so a driver
/// created per instance (its own folder or key prefix) isolates tests from each other.
/// The suite never stores an object at a path that is also a prefix of other objects: an object
/// store allows it, a filesystem cannot (a name is a file or a folder), and the registry's layout
/// never needs it. This file: whole-object reads, writes and stats; other concerns are in the
/// partial files beside it.
/// </summary>
public abstract partial class BlobDriverConformanceTests : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private IBlobDriver? _driver;

    /// <summary>Creates an empty store, owned by this test instance.</summary>
    protected abstract IBlobDriver CreateDriver();

    /// <summary>How far a store's modification times may be from this machine's clock.</summary>
    protected virtual TimeSpan ClockTolerance => TimeSpan.FromSeconds(5);

    // Created on first use: calling an abstract member from this constructor would run before
    // the derived class has set up its own fields (the temporary folder, the bucket prefix).
    protected IBlobDriver Driver => _driver ??= CreateDriver();

    /// <summary>Bounds every test, so a driver that hangs fails instead of stalling the run.</summary>
    protected CancellationToken Ct => _timeout.Token;

    [Fact]
    public void Name_is_set()
    {
        Assert.False(string.IsNullOrWhiteSpace(Driver.Name));
    }

    [Fact]
    public async Task Put_then_read_returns_the_same_bytes()
    {
        var content = Pattern(10_000);

        await PutAsync("a/b/object", content);

        Assert.Equal(content, await ReadAllAsync("a/b/object"));
    }

    [Fact]
    public async Task Put_of_zero_bytes_stores_an_empty_object()
    {
        await PutAsync("empty", []);

        var info = await Driver.StatAsync("empty", Ct);
        Assert.NotNull(info);
        Assert.Equal(0, info.Size);
        Assert.Empty(await ReadAllAsync("empty"));
    }

    [Fact]
    public async Task Put_over_existing_object_replaces_it()
    {
        await PutAsync("object", Pattern(5_000, seed: 1));
        var shorter = Pattern(1_000, seed: 2);

        await PutAsync("object", shorter);

        Assert.Equal(shorter, await ReadAllAsync("object"));
        Assert.Equal(shorter.Length, (await Driver.StatAsync("object", Ct))!.Size);
    }

    [Fact]
    public async Task Put_creates_deeply_nested_paths()
    {
        const string path = "a/b/c/d/e/f/g/h/object";

        await PutAsync(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], await ReadAllAsync(path));
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData("a/..b")]
    [InlineData("a/b.")]
    [InlineData("A-Z_a-z.0-9/x")]
    [InlineData("sha256/ab/abcdef0123456789")]
    public async Task Unusual_but_valid_paths_round_trip(string path)
    {
        await PutAsync(path, [42]);

        Assert.Equal([42], await ReadAllAsync(path));
        Assert.Equal(path, (await Driver.StatAsync(path, Ct))?.Path);
    }

    [Fact]
    public async Task Read_from_offset_returns_the_rest()
    {
        var content = Pattern(4_096);
        await PutAsync("object", content);

        Assert.Equal(content[1000..], await ReadAllAsync("object", offset: 1000));
    }

    [Fact]
    public async Task Read_at_the_exact_end_returns_nothing()
    {
        await PutAsync("object", Pattern(100));

        Assert.Empty(await ReadAllAsync("object", offset: 100));
    }

    [Fact]
    public async Task Read_past_the_end_throws_ArgumentOutOfRange()
    {
        await PutAsync("object", Pattern(100));

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Driver.OpenReadAsync("object", 101, Ct));
    }

    [Fact]
    public async Task Read_with_a_negative_offset_throws_ArgumentOutOfRange()
    {
        await PutAsync("object", Pattern(100));

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Driver.OpenReadAsync("object", -1, Ct));
    }

    [Fact]
    public async Task Read_of_a_missing_object_throws_not_found()
    {
        var e = await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => Driver.OpenReadAsync("missing/object", 0, Ct));

        Assert.Equal("missing/object", e.Path);
    }

    [Fact]
    public async Task Read_of_a_prefix_throws_not_found()
    {
        await PutAsync("folder/object", [1]);

        await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => Driver.OpenReadAsync("folder", 0, Ct));
    }

    [Fact]
    public async Task Stat_of_a_missing_object_returns_null()
    {
        Assert.Null(await Driver.StatAsync("missing", Ct));
    }

    [Fact]
    public async Task Stat_of_a_prefix_returns_null()
    {
        await PutAsync("folder/object", [1]);

        Assert.Null(await Driver.StatAsync("folder", Ct));
    }

    [Fact]
    public async Task Stat_returns_path_size_and_modification_time()
    {
        var before = DateTimeOffset.UtcNow;
        await PutAsync("a/object", Pattern(1234));
        var after = DateTimeOffset.UtcNow;

        var info = await Driver.StatAsync("a/object", Ct);

        Assert.NotNull(info);
        Assert.Equal("a/object", info.Path);
        Assert.Equal(1234, info.Size);
        Assert.InRange(info.LastModified, before - ClockTolerance, after + ClockTolerance);
    }

    protected static byte[] Pattern(int length, uint seed = 1) => Support.PatternStream.Bytes(length, seed);

    protected async Task PutAsync(string path, byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        await Driver.PutAsync(path, stream, Ct);
    }

    protected async Task<byte[]> ReadAllAsync(string path, long offset = 0)
    {
        await using var stream = await Driver.OpenReadAsync(path, offset, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    protected async Task<List<StoredObjectInfo>> ListAllAsync(string prefix) =>
        await Driver.ListAsync(prefix, Ct).ToListAsync(Ct);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timeout.Dispose();
        }
    }
}
