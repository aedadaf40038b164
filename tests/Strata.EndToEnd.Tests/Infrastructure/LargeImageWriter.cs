using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Writes, straight into an OCI layout, an image whose one layer holds a single file of
/// pseudo-random bytes. The layer is a real tar in gzip, but with deflate's stored blocks
/// (no compression), so a few hundred megabytes are written in about a second, and skopeo,
/// seeing a gzip layer, sends it unchanged.
/// </summary>
public static class LargeImageWriter
{
    private const int BlockSize = 512;

    public static OciDescriptor Write(OciLayout layout, string tag, long payloadBytes, ulong seed)
    {
        var temporary = Path.Combine(layout.Path, "blobs", "sha256", $".tmp-{Guid.NewGuid():N}");
        using var diffId = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        using (var gzip = new GZipStream(file, CompressionLevel.NoCompression))
        {
            void Write(ReadOnlySpan<byte> bytes)
            {
                diffId.AppendData(bytes);
                gzip.Write(bytes);
            }

            Write(TarHeader("payload.bin", payloadBytes));
            var buffer = new byte[1 << 20];
            using var payload = new PrngStream(seed, payloadBytes);
            int read;
            while ((read = payload.Read(buffer)) > 0)
            {
                Write(buffer.AsSpan(0, read));
            }

            var padding = (int)((BlockSize - (payloadBytes % BlockSize)) % BlockSize);
            Write(new byte[padding + (2 * BlockSize)]);
        }

        var layerDigest = Digests.OfFile(temporary);
        var layer = new OciDescriptor(MediaTypes.OciLayerGzip, layerDigest, new FileInfo(temporary).Length);
        File.Move(temporary, layout.BlobPath(layerDigest), overwrite: true);

        var config = layout.WriteJsonBlob(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject(),
            ["rootfs"] = new JsonObject
            {
                ["type"] = "layers",
                ["diff_ids"] = new JsonArray("sha256:" + Convert.ToHexStringLower(diffId.GetHashAndReset())),
            },
        }, MediaTypes.OciConfig);
        var manifest = layout.WriteJsonBlob(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = config.ToJson(),
            ["layers"] = new JsonArray(layer.ToJson()),
        }, MediaTypes.OciManifest);
        layout.Tag(manifest, tag);
        return manifest;
    }

    /// <summary>A ustar header for a regular file (mode 0644, owner 0:0, mtime 0).</summary>
    private static byte[] TarHeader(string name, long size)
    {
        var header = new byte[BlockSize];
        void Put(int offset, string value) => Encoding.ASCII.GetBytes(value).CopyTo(header, offset);
        static string Octal(long value, int width) => Convert.ToString(value, 8).PadLeft(width - 1, '0');

        Put(0, name);
        Put(100, Octal(Convert.ToInt32("644", 8), 8));
        Put(108, Octal(0, 8));
        Put(116, Octal(0, 8));
        Put(124, Octal(size, 12));
        Put(136, Octal(0, 12));
        Put(148, "        ");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        var checksum = header.Sum(b => (int)b);
        Put(148, Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }
}
