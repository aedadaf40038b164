using Strata.Storage.Drivers;

namespace Strata.Storage.Tests.Conformance;

/// <summary>Streaming writers: what resumable uploads rely on.</summary>
public abstract partial class BlobDriverConformanceTests
{
    [Fact]
    public async Task Writer_commit_makes_the_data_readable()
    {
        var content = Pattern(70_000);

        await WriteAsync("uploads/1/data", append: false, content);

        Assert.Equal(content, await ReadAllAsync("uploads/1/data"));
        Assert.Equal(content.Length, (await Driver.StatAsync("uploads/1/data", Ct))!.Size);
    }

    [Fact]
    public async Task Writer_size_counts_the_bytes_written()
    {
        await using var writer = await Driver.OpenWriterAsync("object", append: false, Ct);
        Assert.Equal(0, writer.Size);

        await writer.WriteAsync(Pattern(100), Ct);
        await writer.WriteAsync(Pattern(23), Ct);

        Assert.Equal(123, writer.Size);
        await writer.CommitAsync(Ct);
        Assert.Equal(123, writer.Size);
    }

    [Fact]
    public async Task Writer_with_append_resumes_after_an_earlier_writer()
    {
        var first = Pattern(40_000, seed: 1);
        var second = Pattern(25_000, seed: 2);
        await WriteAsync("uploads/1/data", append: false, first);

        await using (var writer = await Driver.OpenWriterAsync("uploads/1/data", append: true, Ct))
        {
            Assert.Equal(first.Length, writer.Size);
            await writer.WriteAsync(second, Ct);
            Assert.Equal(first.Length + second.Length, writer.Size);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal(first.Concat(second).ToArray(), await ReadAllAsync("uploads/1/data"));
    }

    [Fact]
    public async Task Writer_with_append_continues_after_a_zero_byte_commit()
    {
        await WriteAsync("object", append: false, []);
        Assert.Equal(0, (await Driver.StatAsync("object", Ct))!.Size);

        await WriteAsync("object", append: true, [1, 2, 3]);

        Assert.Equal([1, 2, 3], await ReadAllAsync("object"));
    }

    [Fact]
    public async Task Writer_across_many_chunks_and_writers_round_trips()
    {
        var content = Pattern(3 << 20);
        const int chunk = 64 * 1024;
        const int chunksPerWriter = 16;

        for (var offset = 0; offset < content.Length; offset += chunk * chunksPerWriter)
        {
            await using var writer = await Driver.OpenWriterAsync("uploads/big/data", append: offset > 0, Ct);
            Assert.Equal(offset, writer.Size);
            for (var i = offset; i < Math.Min(content.Length, offset + (chunk * chunksPerWriter)); i += chunk)
            {
                await writer.WriteAsync(content.AsMemory(i, Math.Min(chunk, content.Length - i)), Ct);
            }

            await writer.CommitAsync(Ct);
        }

        Assert.Equal(content, await ReadAllAsync("uploads/big/data"));
    }

    [Fact]
    public async Task Writer_without_append_starts_the_object_over()
    {
        await WriteAsync("object", append: false, Pattern(10_000));

        await using (var writer = await Driver.OpenWriterAsync("object", append: false, Ct))
        {
            Assert.Equal(0, writer.Size);
            await writer.WriteAsync(new byte[] { 9, 8 }, Ct);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal([9, 8], await ReadAllAsync("object"));
    }

    [Fact]
    public async Task Writer_cancel_removes_the_object()
    {
        await WriteAsync("uploads/1/data", append: false, Pattern(1_000));

        await using (var writer = await Driver.OpenWriterAsync("uploads/1/data", append: true, Ct))
        {
            await writer.WriteAsync(Pattern(500), Ct);
            await writer.CancelAsync(Ct);
        }

        Assert.Null(await Driver.StatAsync("uploads/1/data", Ct));
        await Assert.ThrowsAsync<StoredObjectNotFoundException>(() => Driver.OpenReadAsync("uploads/1/data", 0, Ct));
    }

    private async Task WriteAsync(string path, bool append, byte[] content)
    {
        await using var writer = await Driver.OpenWriterAsync(path, append, Ct);
        await writer.WriteAsync(content, Ct);
        await writer.CommitAsync(Ct);
    }
}
