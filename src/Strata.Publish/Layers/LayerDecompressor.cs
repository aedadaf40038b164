using System.IO.Compression;

namespace Strata.Publish.Layers;

/// <summary>
/// Opens a layer blob as an uncompressed tar stream. The compression is detected from the magic
/// bytes, not trusted from the media type (registries hold many mislabelled layers): gzip
/// (<c>1f 8b</c>, .NET's zlib-ng, multi-member), zstd (<c>28 b5 2f fd</c>, ZstdSharp), or plain
/// tar (a valid header checksum in the first block). Anything else fails the layer.
/// </summary>
public static class LayerDecompressor
{
    public static async Task<(Stream Tar, LayerCompression Compression)> OpenAsync(Stream blob, LayerLimits limits, CancellationToken cancellationToken)
    {
        var head = new byte[512];
        var filled = 0;
        while (filled < head.Length)
        {
            var n = await blob.ReadAsync(head.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        var compressed = new CountingReadStream(new PrefixedStream(head.AsMemory(0, filled), blob));
        var compression = Detect(head.AsSpan(0, filled));
        Stream decompressed = compression switch
        {
            LayerCompression.Gzip => new GZipStream(compressed, CompressionMode.Decompress),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(compressed),
            _ => compressed,
        };
        return (new BombGuardStream(decompressed, compressed, limits), compression);
    }

    internal static LayerCompression Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return LayerCompression.Gzip;
        }

        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            return LayerCompression.Zstd;
        }

        // An empty layer, or one that is only end-of-archive blocks, is a valid (empty) tar.
        if (head.Length == 0 || (head.Length == 512 && (TarHeader.IsZeroBlock(head) || TarHeader.ChecksumMatches(head))))
        {
            return LayerCompression.None;
        }

        throw new LayerFormatException("layer is neither gzip, zstd nor tar (unknown compression)");
    }
}
