using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Strata.Publish.Tests.Layers;

/// <summary>
/// Builds layer tars for tests: well-formed ones with .NET's own TarWriter (an implementation
/// independent of the reader under test), hostile ones block by block.
/// </summary>
internal static class TarFixtures
{
    public static byte[] Build(TarEntryFormat format, Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, format, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static void AddFile(TarWriter writer, string name, string content, TarEntryFormat format = TarEntryFormat.Pax, int mode = 0b110_100_100)
    {
        TarEntry entry = format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.RegularFile, name) : new PaxTarEntry(TarEntryType.RegularFile, name);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = 1000;
        entry.Gid = 100;
        entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        writer.WriteEntry(entry);
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }

    /// <summary>A raw ustar header block with a correct checksum.</summary>
    public static byte[] Header(string name, byte type, long size, string linkName = "")
    {
        var block = new byte[512];
        Encoding.UTF8.GetBytes(name).CopyTo(block, 0);
        Octal("0000644", block, 100);
        Octal("0000000", block, 108);
        Octal("0000000", block, 116);
        Octal(Convert.ToString(size, 8).PadLeft(11, '0'), block, 124);
        Octal("14000000000", block, 136);
        block[156] = type;
        Encoding.UTF8.GetBytes(linkName).CopyTo(block, 157);
        "ustar\0"u8.CopyTo(block.AsSpan(257));
        "00"u8.CopyTo(block.AsSpan(263));
        for (var i = 148; i < 156; i++)
        {
            block[i] = (byte)' ';
        }

        var sum = block.Sum(b => (int)b);
        Octal(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", block, 148);
        return block;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Padded(byte[] data) => data.Concat(new byte[(512 - data.Length % 512) % 512]).ToArray();

    private static void Octal(string text, byte[] block, int offset) => Encoding.ASCII.GetBytes(text).CopyTo(block, offset);
}
