using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Strata.Client.Cache;

/// <summary>
/// The 48 bytes after the decompressed content of a cached file or chunk: magic, content length and
/// SHA-256 of the content. The object's own name hashes the <em>compressed</em> bytes, which cannot be
/// recomputed from decompressed content (zlib output depends on the encoder), so this trailer is what
/// lets the cache detect a torn or damaged entry (e.g. after a power cut) and refetch it.
/// </summary>
internal static class ContentTrailer
{
    public const int Size = 48;

    private static ReadOnlySpan<byte> Magic => "STRATA01"u8;

    public static byte[] Create(long length, ReadOnlySpan<byte> sha256)
    {
        var trailer = new byte[Size];
        Magic.CopyTo(trailer);
        BinaryPrimitives.WriteInt64LittleEndian(trailer.AsSpan(8), length);
        sha256.CopyTo(trailer.AsSpan(16));
        return trailer;
    }

    /// <summary>True when the file holds exactly <paramref name="expectedLength"/> content bytes that hash to its trailer.</summary>
    public static bool Verify(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long expectedLength)
    {
        var fileLength = RandomAccess.GetLength(handle);
        if (fileLength != expectedLength + Size)
        {
            return false;
        }

        Span<byte> trailer = stackalloc byte[Size];
        if (RandomAccess.Read(handle, trailer, expectedLength) != Size || !trailer[..8].SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt64LittleEndian(trailer[8..]) != expectedLength)
        {
            return false;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long offset = 0;
            while (offset < expectedLength)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, expectedLength - offset)), offset);
                if (n <= 0)
                {
                    return false;
                }

                hash.AppendData(buffer, 0, n);
                offset += n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> actual = stackalloc byte[32];
        hash.GetHashAndReset(actual);
        return actual.SequenceEqual(trailer[16..]);
    }
}
