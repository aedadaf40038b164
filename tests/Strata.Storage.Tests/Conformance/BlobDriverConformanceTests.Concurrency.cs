namespace Strata.Storage.Tests.Conformance;

/// <summary>Many readers at once, and readers racing a replacement.</summary>
public abstract partial class BlobDriverConformanceTests
{
    [Fact]
    public async Task Concurrent_readers_all_see_the_same_bytes()
    {
        var content = Pattern(1 << 20);
        await PutAsync("shared", content);

        var reads = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var offset = i * 4096L;
            return (offset, bytes: await ReadAllAsync("shared", offset));
        }, Ct));

        foreach (var (offset, bytes) in await Task.WhenAll(reads))
        {
            Assert.Equal(content[(int)offset..], bytes);
        }
    }

    [Fact]
    public async Task Reader_opened_before_a_replace_keeps_reading_the_old_object()
    {
        // Atomic replacement means a reader never mixes two versions, even mid-stream.
        var previous = Pattern(300_000, seed: 1);
        await PutAsync("object", previous);
        await using var reader = await Driver.OpenReadAsync("object", 0, Ct);
        var head = new byte[1000];
        await reader.ReadExactlyAsync(head, Ct);

        await PutAsync("object", Pattern(300_000, seed: 2));

        using var rest = new MemoryStream();
        await reader.CopyToAsync(rest, Ct);
        Assert.Equal(previous, head.Concat(rest.ToArray()).ToArray());
    }
}
