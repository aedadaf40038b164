using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// A catalog row key: MD5 of the full repository path (UTF-8, leading <c>/</c>, no trailing slash,
/// the root is the empty string) split into two little-endian signed 64-bit integers, bytes 0–7 and
/// 8–15 (cvmfs <c>shash::Md5::ToIntPair</c>). The same key is used in every catalog, nested or not.
/// </summary>
public readonly record struct PathKey(long Part1, long Part2)
{
    /// <summary>The key of the repository root (<c>md5("")</c>).</summary>
    public static PathKey Root { get; } = ForPath(string.Empty);

    /// <summary>The parent key cvmfs stores for the root entry of the root catalog.</summary>
    public static PathKey None { get; } = new(0, 0);

    /// <summary>The key of a repository path. <c>"/"</c> and <c>""</c> both mean the root.</summary>
    public static PathKey ForPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path == "/" ? string.Empty : path;
        var byteCount = Encoding.UTF8.GetByteCount(normalized);
        var bytes = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(normalized, bytes);
        return ForPathBytes(bytes);
    }

    /// <summary>The key of a path given as UTF-8 bytes.</summary>
    public static PathKey ForPathBytes(ReadOnlySpan<byte> utf8Path)
    {
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        MD5.HashData(utf8Path, digest);
        return FromDigest(digest);
    }

    /// <summary>Splits a 16-byte MD5 digest.</summary>
    public static PathKey FromDigest(ReadOnlySpan<byte> digest) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(digest), BinaryPrimitives.ReadInt64LittleEndian(digest[8..]));

    /// <summary>The 16 digest bytes back, for display.</summary>
    public string ToHex()
    {
        Span<byte> digest = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(digest, Part1);
        BinaryPrimitives.WriteInt64LittleEndian(digest[8..], Part2);
        return Convert.ToHexStringLower(digest);
    }
}
