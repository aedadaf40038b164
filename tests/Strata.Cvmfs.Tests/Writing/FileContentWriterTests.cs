using System.Security.Cryptography;
using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Cvmfs.Tests.Support;
using Strata.Cvmfs.Writing;

namespace Strata.Cvmfs.Tests.Writing;

public sealed class FileContentWriterTests : IDisposable
{
    private readonly TemporaryDirectory _repo = new();

    [Fact]
    public async Task Real_random_file_is_chunked_at_the_same_offsets_into_P_objects_with_the_same_content()
    {
        var content = (byte[])[.. TestVectors.DecompressObject("data/5d/13562aef28626b2bf48bef81fc7c76d8d21d22P"), .. TestVectors.DecompressObject("data/f6/ef3049f3915eec4fbd22ea593ae225237c6ffdP")];
        var writer = new FileContentWriter(new FileSystemObjectSink(_repo.Path));

        var stored = await writer.WriteAsync(new MemoryStream(content), CancellationToken.None);

        Assert.True(stored.IsChunked);
        Assert.Null(stored.Hash);
        Assert.Equal(6000017, stored.Size);
        Assert.Equal(68, (int)stored.Flags);
        Assert.Equal([(0L, 5534236L), (5534236L, 465781L)], stored.Chunks.Select(c => (c.Offset, c.Size)));

        // .NET's zlib-ng frames deflate blocks differently from the zlib cvmfs links, so large objects
        // get other (equally valid) names; the content of each chunk is the same.
        string[] realChunks = ["data/5d/13562aef28626b2bf48bef81fc7c76d8d21d22P", "data/f6/ef3049f3915eec4fbd22ea593ae225237c6ffdP"];
        var fetcher = new ObjectFetcher(new FileSystemRepositorySource(_repo.Path));
        for (var i = 0; i < 2; i++)
        {
            await using var chunk = await fetcher.OpenAsync(new ObjectId(stored.Chunks[i].Hash, ObjectKind.Partial), ObjectCompression.Zlib, stored.Chunks[i].Size, stored.Chunks[i].Size, CancellationToken.None);
            using var decoded = new MemoryStream();
            await chunk.CopyToAsync(decoded);
            Assert.Equal(TestVectors.DecompressObject(realChunks[i]), decoded.ToArray());
        }
    }

    [Fact]
    public async Task Small_file_is_stored_whole_without_suffix_under_the_real_name()
    {
        var content = TestVectors.DecompressObject("data/fe/c189a08d3d1ec5bdd256e64480d5734b111291");
        var sink = new FileSystemObjectSink(_repo.Path);

        var stored = await new FileContentWriter(sink).WriteAsync(new MemoryStream(content), CancellationToken.None);

        Assert.False(stored.IsChunked);
        Assert.Equal(4, (int)stored.Flags);
        Assert.Equal("fec189a08d3d1ec5bdd256e64480d5734b111291", stored.Hash.ToString());
        Assert.True(File.Exists(Path.Combine(_repo.Path, "data/fe/c189a08d3d1ec5bdd256e64480d5734b111291")));
    }

    [Fact]
    public async Task File_larger_than_the_minimum_without_a_cut_is_stored_whole()
    {
        var parameters = new ChunkingParameters(1024, 1024 * 1024, 2 * 1024 * 1024);
        var content = new byte[100_000];
        var sink = new FileSystemObjectSink(_repo.Path);

        var stored = await new FileContentWriter(sink, new FileContentOptions { Chunking = parameters }).WriteAsync(new MemoryStream(content), CancellationToken.None);

        Assert.False(stored.IsChunked);
        Assert.True(sink.Contains(new ObjectId(stored.Hash!.Value, ObjectKind.File)));
    }

    [Fact]
    public async Task Chunks_read_back_through_the_fetcher_reassemble_the_file()
    {
        var parameters = new ChunkingParameters(4096, 16384, 65536);
        var content = RandomNumberGenerator.GetBytes(1_000_000);
        var sink = new FileSystemObjectSink(_repo.Path);

        var stored = await new FileContentWriter(sink, new FileContentOptions { Chunking = parameters }).WriteAsync(new MemoryStream(content), CancellationToken.None);

        Assert.True(stored.Chunks.Count > 10);
        var fetcher = new ObjectFetcher(new FileSystemRepositorySource(_repo.Path));
        using var reassembled = new MemoryStream();
        foreach (var chunk in stored.Chunks)
        {
            Assert.Equal(reassembled.Length, chunk.Offset);
            await using var part = await fetcher.OpenAsync(new ObjectId(chunk.Hash, ObjectKind.Partial), ObjectCompression.Zlib, chunk.Size, chunk.Size, CancellationToken.None);
            await part.CopyToAsync(reassembled);
        }

        Assert.Equal(content, reassembled.ToArray());
        Assert.Empty(Directory.GetFiles(Path.Combine(_repo.Path, "data", "txn")));
    }

    [Fact]
    public async Task Shake128_uncompressed_file_gets_shake128_names_and_flag_bits()
    {
        if (!Shake128.IsSupported)
        {
            return;
        }

        var sink = new FileSystemObjectSink(_repo.Path);
        var options = new FileContentOptions { Algorithm = ContentHashAlgorithm.Shake128, Compression = ObjectCompression.None };

        var stored = await new FileContentWriter(sink, options).WriteAsync(new MemoryStream("hello"u8.ToArray()), CancellationToken.None);

        Assert.Equal(Shake128.HashData("hello"u8, 20), stored.Hash!.Value.Digest.ToArray());
        Assert.Equal(4 | (2 << 8) | (1 << 11), (int)stored.Flags);
        Assert.True(File.Exists(Path.Combine(_repo.Path, new ObjectId(stored.Hash.Value, ObjectKind.File).Path)));
        Assert.EndsWith("-shake128", new ObjectId(stored.Hash.Value, ObjectKind.File).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_write_leaves_no_object_and_no_temporary_file()
    {
        var sink = new FileSystemObjectSink(_repo.Path);

        await Assert.ThrowsAsync<IOException>(() => new FileContentWriter(sink).WriteAsync(new FailingStream(), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_repo.Path, "data"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Root_files_are_replaced_atomically()
    {
        var sink = new FileSystemObjectSink(_repo.Path);

        await sink.WriteRootFileAsync(".cvmfspublished", "one"u8.ToArray(), CancellationToken.None);
        await sink.WriteRootFileAsync(".cvmfspublished", "two"u8.ToArray(), CancellationToken.None);

        Assert.Equal("two", File.ReadAllText(Path.Combine(_repo.Path, ".cvmfspublished")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_repo.Path, "data", "txn")));
        await Assert.ThrowsAsync<ArgumentException>(() => sink.WriteRootFileAsync("../escape", "x"u8.ToArray(), CancellationToken.None));
    }

    [Theory]
    [InlineData(300_000)]
    [InlineData(10_000_000)]
    public async Task Same_content_gets_the_same_objects_whatever_sizes_the_reads_return(int size)
    {
        // Compressible but not trivially: zlib-ng's output would change with the split of its input.
        var random = new Random(5);
        var content = new byte[size];
        for (var i = 0; i < size; i++)
        {
            content[i] = (byte)(random.Next(16) == 0 ? random.Next(256) : 'a' + (i / 7 % 5));
        }

        var writer = new FileContentWriter(new FileSystemObjectSink(_repo.Path), new FileContentOptions { CompressionLevel = 1 });

        var whole = await writer.WriteAsync(new MemoryStream(content), CancellationToken.None);
        var trickled = await writer.WriteAsync(new ShortReadStream(content, new Random(9)), CancellationToken.None);

        Assert.Equal(whole.Hash, trickled.Hash);
        Assert.Equal(whole.Chunks, trickled.Chunks);
        Assert.Equal(size > 8_000_000, whole.IsChunked);
    }

    public void Dispose() => _repo.Dispose();

    /// <summary>Returns at most a random 1–20,000 bytes per read, as a tar entry read through gzip does.</summary>
    private sealed class ShortReadStream(byte[] content, Random random) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 20_000)));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, random.Next(1, 20_000))]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, random.Next(1, 20_000))], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, random.Next(1, 20_000)), cancellationToken);
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ < 3 ? count : throw new IOException("source failed");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
