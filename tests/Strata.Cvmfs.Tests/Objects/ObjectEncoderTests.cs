using System.Security.Cryptography;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Objects;

public sealed class ObjectEncoderTests
{
    [Fact]
    public void Empty_content_becomes_the_same_8_byte_zlib_stream_cvmfs_stores()
    {
        var (encoded, stored) = ObjectEncoder.EncodeBytes([]);

        Assert.Equal(TestVectors.ReadRepoFile("data/e8/ec3d88b62ebf526e4e5a4ff6162a3aa48a6b78"), stored);
        Assert.Equal("e8ec3d88b62ebf526e4e5a4ff6162a3aa48a6b78", encoded.Hash.ToString());
        Assert.Equal(0, encoded.ContentSize);
        Assert.Equal(8, encoded.StoredSize);
    }

    [Theory]
    [InlineData("data/fe/c189a08d3d1ec5bdd256e64480d5734b111291")]
    [InlineData("data/cd/d57ec96d44a357eee19f6c3ccfaf28dc73a070")]
    public void Small_file_compresses_to_the_byte_identical_object_cvmfs_wrote(string path)
    {
        var content = TestVectors.DecompressObject(path);

        var (encoded, stored) = ObjectEncoder.EncodeBytes(content);

        Assert.Equal(TestVectors.ReadRepoFile(path), stored);
        Assert.Equal(path[5..7] + path[8..], encoded.Hash.ToString());
    }

    [Fact]
    public async Task Streaming_encode_hashes_the_stored_bytes_and_counts_both_sizes()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        using var destination = new MemoryStream();

        var encoded = await ObjectEncoder.EncodeAsync(new MemoryStream(content), destination, ObjectCompression.Zlib, ContentHashAlgorithm.Sha1, CancellationToken.None);

        Assert.Equal(content.Length, encoded.ContentSize);
        Assert.Equal(destination.Length, encoded.StoredSize);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(destination.ToArray())), encoded.Hash.ToString());
        destination.Position = 0;
        using var decoded = ObjectDecoder.OpenRead(destination, ObjectCompression.Zlib, content.Length, content.Length, "test");
        using var roundTrip = new MemoryStream();
        await decoded.CopyToAsync(roundTrip);
        Assert.Equal(content, roundTrip.ToArray());
    }

    [Fact]
    public void Uncompressed_object_stores_content_as_is_and_hashes_it()
    {
        var (encoded, stored) = ObjectEncoder.EncodeBytes("plain"u8, ObjectCompression.None);

        Assert.Equal("plain"u8.ToArray(), stored);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData("plain"u8)), encoded.Hash.ToString());
    }

    [Fact]
    public void Compression_bomb_is_stopped_at_the_size_limit()
    {
        var (_, stored) = ObjectEncoder.EncodeBytes(new byte[10 * 1024 * 1024]);
        Assert.True(stored.Length < 20_000);

        using var decoded = ObjectDecoder.OpenRead(new MemoryStream(stored), ObjectCompression.Zlib, 1024 * 1024, null, "bomb");
        var error = Assert.Throws<CvmfsVerificationException>(() => decoded.CopyTo(Stream.Null));

        Assert.Equal(VerificationFailure.SizeLimitExceeded, error.Failure);
    }

    [Fact]
    public void Content_longer_than_the_expected_size_is_refused()
    {
        var (_, stored) = ObjectEncoder.EncodeBytes(new byte[1001]);

        using var decoded = ObjectDecoder.OpenRead(new MemoryStream(stored), ObjectCompression.Zlib, 1000, 1000, "file");
        var error = Assert.Throws<CvmfsVerificationException>(() => decoded.CopyTo(Stream.Null));

        Assert.Equal(VerificationFailure.SizeMismatch, error.Failure);
    }

    [Fact]
    public void Content_shorter_than_the_expected_size_is_refused()
    {
        var (_, stored) = ObjectEncoder.EncodeBytes(new byte[999]);

        using var decoded = ObjectDecoder.OpenRead(new MemoryStream(stored), ObjectCompression.Zlib, 1000, 1000, "file");
        var error = Assert.Throws<CvmfsVerificationException>(() => decoded.CopyTo(Stream.Null));

        Assert.Equal(VerificationFailure.SizeMismatch, error.Failure);
    }

    [Fact]
    public async Task Large_object_is_verified_through_a_temporary_spool_file()
    {
        using var scratch = new TemporaryDirectory();
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        var (encoded, stored) = ObjectEncoder.EncodeBytes(content);
        var id = new ObjectId(encoded.Hash, ObjectKind.File);
        var source = new InMemorySource(new Dictionary<string, byte[]> { [id.Path] = stored });
        var fetcher = new Strata.Cvmfs.Reading.ObjectFetcher(source, new Strata.Cvmfs.Reading.ObjectFetcherOptions { MemorySpoolThreshold = 64 * 1024, TemporaryDirectory = scratch.Path });

        await using (var read = await fetcher.OpenAsync(id, ObjectCompression.Zlib, content.Length, content.Length, CancellationToken.None))
        {
            Assert.NotEmpty(Directory.GetFiles(scratch.Path));
            Assert.Equal(SHA256.HashData(content), await SHA256.HashDataAsync(read));
        }

        Assert.Empty(Directory.GetFiles(scratch.Path));
    }
}
