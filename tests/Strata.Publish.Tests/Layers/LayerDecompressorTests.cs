using System.Formats.Tar;
using System.IO.Compression;
using Strata.Publish.Layers;

namespace Strata.Publish.Tests.Layers;

public sealed class LayerDecompressorTests
{
    private static readonly byte[] Tar = TarFixtures.Build(TarEntryFormat.Pax, w => TarFixtures.AddFile(w, "etc/hostname", "strata"));

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Detects_the_compression_from_magic_bytes_and_yields_the_tar(LayerCompression compression)
    {
        var blob = compression switch
        {
            LayerCompression.Gzip => TarFixtures.Gzip(Tar),
            LayerCompression.Zstd => TarFixtures.Zstd(Tar),
            _ => Tar,
        };

        var (stream, detected) = await LayerDecompressor.OpenAsync(new MemoryStream(blob), new LayerLimits(), default);
        await using var reader = new LayerTarReader(stream, new LayerLimits());

        Assert.Equal(compression, detected);
        Assert.Equal("etc/hostname", (await reader.NextAsync(default))!.Path);
        Assert.Equal("strata", await new StreamReader(reader.OpenContent()).ReadToEndAsync());
    }

    [Fact]
    public async Task Unknown_compression_fails_with_a_clear_reason()
    {
        var blob = "BZh91AY&SY not a layer we can read"u8.ToArray().Concat(new byte[600]).ToArray();
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => LayerDecompressor.OpenAsync(new MemoryStream(blob), new LayerLimits(), default));
        Assert.Contains("unknown compression", error.Message);
    }

    [Fact]
    public async Task Gzip_bomb_is_stopped_at_the_ratio_limit()
    {
        // 64 MiB of zeros compress to ~64 KiB: a ratio of ~1000:1.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        var limits = new LayerLimits { MaxCompressionRatio = 100, RatioCheckAfterBytes = 1024 * 1024 };
        compressed.Position = 0;
        var (stream, _) = await LayerDecompressor.OpenAsync(compressed, limits, default);
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains("decompression bomb", error.Message);
    }

    [Fact]
    public async Task Output_beyond_the_size_limit_is_refused()
    {
        var blob = TarFixtures.Gzip(new byte[3 * 1024 * 1024]);
        var (stream, _) = await LayerDecompressor.OpenAsync(new MemoryStream(blob), new LayerLimits { MaxUncompressedBytes = 1024 * 1024 }, default);
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains("expands beyond", error.Message);
    }

    [Fact]
    public async Task Corrupt_gzip_data_fails_the_layer()
    {
        var blob = TarFixtures.Gzip(Tar);
        for (var i = 20; i < blob.Length - 8; i++)
        {
            blob[i] ^= 0x5a;
        }

        var (stream, _) = await LayerDecompressor.OpenAsync(new MemoryStream(blob), new LayerLimits(), default);
        await Assert.ThrowsAsync<LayerFormatException>(() => stream.CopyToAsync(Stream.Null));
    }
}
