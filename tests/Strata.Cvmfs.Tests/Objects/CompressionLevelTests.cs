using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Tests.Objects;

public sealed class CompressionLevelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public async Task Any_level_stores_a_zlib_stream_named_by_the_hash_of_its_bytes_that_inflates_to_the_content(int level)
    {
        var content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i % 977} of a text file\n")));
        using var destination = new MemoryStream();

        var encoded = await ObjectEncoder.EncodeAsync(new MemoryStream(content), destination, ObjectCompression.Zlib, ContentHashAlgorithm.Sha1, level, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(destination.ToArray())), encoded.Hash.ToString());
        destination.Position = 0;
        using var decoded = ObjectDecoder.OpenRead(destination, ObjectCompression.Zlib, content.Length, content.Length, "test");
        using var roundTrip = new MemoryStream();
        await decoded.CopyToAsync(roundTrip);
        Assert.Equal(content, roundTrip.ToArray());
    }

    [Fact]
    public async Task Level_changes_the_object_name_but_not_for_empty_content()
    {
        var content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 5000)));
        using var level1 = new MemoryStream();
        using var level6 = new MemoryStream();
        using var empty1 = new MemoryStream();

        await using (var encoder = new ObjectEncoder(level1, compressionLevel: 1))
        {
            encoder.Write(content);
            encoder.Complete();
        }

        await using (var encoder = new ObjectEncoder(level6))
        {
            encoder.Write(content);
            encoder.Complete();
        }

        await using (var encoder = new ObjectEncoder(empty1, compressionLevel: 1))
        {
            encoder.Complete();
        }

        Assert.NotEqual(level1.ToArray(), level6.ToArray());
        Assert.Equal(ObjectEncoder.EncodeBytes([]).Stored, empty1.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObjectEncoder(new MemoryStream(), compressionLevel: 0));
    }
}
