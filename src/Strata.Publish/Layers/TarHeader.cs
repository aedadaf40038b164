using System.Text;

namespace Strata.Publish.Layers;

/// <summary>
/// One 512-byte tar header block (POSIX ustar, with the GNU and old-v7 variants), decoded
/// strictly: checksum verified, numeric fields in octal or GNU base-256.
/// </summary>
internal readonly record struct TarHeader(
    string Name,
    int Mode,
    long Uid,
    long Gid,
    long Size,
    long Mtime,
    byte TypeFlag,
    string LinkName,
    int DeviceMajor,
    int DeviceMinor)
{
    public const int BlockSize = 512;

    public static bool IsZeroBlock(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>The header checksum: bytes summed with the checksum field counted as spaces (unsigned, or signed as some old tars wrote it).</summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> block)
    {
        if (!TryParseNumber(block.Slice(148, 8), out var recorded))
        {
            return false;
        }

        long unsigned = 0, signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        return recorded == unsigned || recorded == signed;
    }

    public static TarHeader Parse(ReadOnlySpan<byte> block)
    {
        if (!ChecksumMatches(block))
        {
            throw new LayerFormatException("tar header checksum mismatch (corrupt or not a tar stream)");
        }

        var magic = block.Slice(257, 6);
        var isUstar = magic.SequenceEqual("ustar\0"u8);
        var name = CString(block[..100]);
        if (isUstar && block[345] != 0)
        {
            // POSIX ustar splits long names into prefix/name; GNU tar uses that area for times.
            name = CString(block.Slice(345, 155)) + "/" + name;
        }

        return new TarHeader(
            name,
            (int)Number(block.Slice(100, 8), "mode"),
            Number(block.Slice(108, 8), "uid"),
            Number(block.Slice(116, 8), "gid"),
            Number(block.Slice(124, 12), "size"),
            Number(block.Slice(136, 12), "mtime"),
            block[156],
            CString(block.Slice(157, 100)),
            (int)Number(block.Slice(329, 8), "devmajor"),
            (int)Number(block.Slice(337, 8), "devminor"));
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static long Number(ReadOnlySpan<byte> field, string what) =>
        TryParseNumber(field, out var value) && value >= 0
            ? value
            : throw new LayerFormatException($"tar header field '{what}' is not a valid number");

    /// <summary>Octal ASCII (space/NUL padded), or GNU base-256 when the high bit of the first byte is set.</summary>
    private static bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0 || field.Length > 9 && field[1..^8].ContainsAnyExcept((byte)0))
            {
                return false; // negative, or more than 63 bits
            }

            value = field[0] & 0x3f;
            foreach (var b in field[1..])
            {
                value = (value << 8) | b;
            }

            return value >= 0;
        }

        var trimmed = field.Trim((byte)' ').TrimEnd((byte)0).Trim((byte)' ');
        if (trimmed.IsEmpty)
        {
            return true;
        }

        foreach (var b in trimmed)
        {
            if (b is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                return false;
            }

            value = (value << 3) | (long)(b - '0');
        }

        return true;
    }
}
