using System.Security.Cryptography;
using Strata.Storage.Tests.Support;

namespace Strata.Storage.Tests.Conformance;

/// <summary>Whole-object writes are atomic: never a partial object, never a lost old one.</summary>
public abstract partial class BlobDriverConformanceTests
{
    [Fact]
    public async Task Failed_put_leaves_no_object()
    {
        using var source = new FailingStream(new PatternStream(1 << 20), failAfter: 300_000);

        await Assert.ThrowsAsync<IOException>(() => Driver.PutAsync("folder/object", source, Ct));

        Assert.Null(await Driver.StatAsync("folder/object", Ct));
        Assert.Empty(await ListAllAsync("folder"));
    }

    [Fact]
    public async Task Failed_put_keeps_the_previous_object()
    {
        var previous = Pattern(2_000, seed: 7);
        await PutAsync("object", previous);
        using var source = new FailingStream(new PatternStream(1 << 20), failAfter: 300_000);

        await Assert.ThrowsAsync<IOException>(() => Driver.PutAsync("object", source, Ct));

        Assert.Equal(previous, await ReadAllAsync("object"));
    }

    [Fact]
    public async Task Cancelled_put_keeps_the_previous_object()
    {
        var previous = Pattern(2_000, seed: 7);
        await PutAsync("object", previous);
        var source = new GatedStream(Pattern(100_000, seed: 8), Pattern(100_000, seed: 9));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var put = Driver.PutAsync("object", source, cancel.Token);
        await source.FirstPartServed.WaitAsync(Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.Equal(previous, await ReadAllAsync("object"));
    }

    [Fact]
    public async Task Object_is_not_visible_before_its_put_completes()
    {
        var first = Pattern(100_000, seed: 1);
        var rest = Pattern(50_000, seed: 2);
        var source = new GatedStream(first, rest);

        var put = Driver.PutAsync("folder/object", source, Ct);
        await source.FirstPartServed.WaitAsync(Ct);

        Assert.Null(await Driver.StatAsync("folder/object", Ct));
        await Assert.ThrowsAsync<Drivers.StoredObjectNotFoundException>(() => Driver.OpenReadAsync("folder/object", 0, Ct));
        Assert.Empty(await ListAllAsync("folder"));

        source.Release();
        await put;
        Assert.Equal(first.Concat(rest).ToArray(), await ReadAllAsync("folder/object"));
    }

    [Fact]
    public async Task Object_being_replaced_reads_as_the_old_one_until_the_put_completes()
    {
        var previous = Pattern(3_000, seed: 3);
        await PutAsync("object", previous);
        var source = new GatedStream(Pattern(100_000, seed: 4), Pattern(100_000, seed: 5));

        var put = Driver.PutAsync("object", source, Ct);
        await source.FirstPartServed.WaitAsync(Ct);

        Assert.Equal(previous, await ReadAllAsync("object"));
        Assert.Equal(previous.Length, (await Driver.StatAsync("object", Ct))!.Size);

        source.Release();
        await put;
        Assert.Equal(200_000, (await Driver.StatAsync("object", Ct))!.Size);
    }

    [Fact]
    public async Task Concurrent_puts_to_one_path_leave_one_complete_object()
    {
        var contents = Enumerable.Range(1, 8).Select(i => Pattern(256 * 1024, seed: (uint)i)).ToArray();

        await Task.WhenAll(contents.Select(c => Task.Run(() => PutAsync("contended", c), Ct)));

        var stored = await ReadAllAsync("contended");
        Assert.Contains(contents, c => c.AsSpan().SequenceEqual(stored));
    }

    [Fact]
    public async Task Large_object_streams_through_put_and_read_intact()
    {
        const long size = 20L << 20;
        var expected = await SHA256.HashDataAsync(new PatternStream(size, seed: 11), Ct);

        await Driver.PutAsync("large/object", new PatternStream(size, seed: 11), Ct);

        Assert.Equal(size, (await Driver.StatAsync("large/object", Ct))!.Size);
        await using var read = await Driver.OpenReadAsync("large/object", 0, Ct);
        Assert.Equal(expected, await SHA256.HashDataAsync(read, Ct));
    }
}
