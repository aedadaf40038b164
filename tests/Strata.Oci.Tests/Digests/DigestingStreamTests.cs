using System.Security.Cryptography;
using Strata.Oci.Digests;

namespace Strata.Oci.Tests.Digests;

public sealed class DigestingStreamTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task Reading_through_hashes_and_counts_every_byte()
    {
        using var hash = DigestAlgorithm.Sha256.CreateHash();
        var stream = new DigestingStream(new MemoryStream(Content), hash);

        await stream.CopyToAsync(Stream.Null);

        Assert.Equal(Content.Length, stream.BytesRead);
        Assert.Equal(Digest.Compute(DigestAlgorithm.Sha256, Content), Digest.FromHash(DigestAlgorithm.Sha256, hash.GetCurrentHash()));
    }

    [Fact]
    public void Synchronous_reads_hash_too()
    {
        using var hash = DigestAlgorithm.Sha512.CreateHash();
        var stream = new DigestingStream(new MemoryStream(Content), hash);

        stream.CopyTo(Stream.Null);

        Assert.Equal(SHA512.HashData(Content), hash.GetCurrentHash());
    }

    [Fact]
    public async Task Hash_continues_from_data_appended_earlier()
    {
        // A resumed upload: the running hash already holds the first chunk.
        using var hash = DigestAlgorithm.Sha256.CreateHash();
        hash.AppendData(Content.AsSpan(0, 40_000));
        var stream = new DigestingStream(new MemoryStream(Content, 40_000, 60_000), hash);

        await stream.CopyToAsync(Stream.Null);

        Assert.Equal(SHA256.HashData(Content), hash.GetCurrentHash());
    }

    [Fact]
    public async Task Reading_exactly_the_limit_is_allowed()
    {
        using var hash = DigestAlgorithm.Sha256.CreateHash();
        var stream = new DigestingStream(new MemoryStream(Content), hash, limit: Content.Length);

        await stream.CopyToAsync(Stream.Null);

        Assert.Equal(Content.Length, stream.BytesRead);
    }

    [Fact]
    public async Task Reading_past_the_limit_throws_InvalidData()
    {
        using var hash = DigestAlgorithm.Sha256.CreateHash();
        var stream = new DigestingStream(new MemoryStream(Content), hash, limit: Content.Length - 1);

        await Assert.ThrowsAsync<InvalidDataException>(() => stream.CopyToAsync(Stream.Null));
    }

    [Fact]
    public void Stream_is_read_only_and_forward_only()
    {
        using var hash = DigestAlgorithm.Sha256.CreateHash();
        var stream = new DigestingStream(new MemoryStream(Content), hash);

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.Length);
    }
}
