using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Strata.Publish.Tests.Support;

/// <summary>Builds layer tarballs with .NET's TarWriter (independent of the reader under test), gzip-compressed.</summary>
internal sealed class LayerBuilder
{
    private static readonly DateTimeOffset DefaultTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly List<TarEntry> _entries = [];

    public LayerBuilder Directory(string path, int mode = 0b111_101_101, int uid = 0, int gid = 0, long mtime = 1_700_000_000)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, path.TrimEnd('/') + "/") { Mode = (UnixFileMode)mode, Uid = uid, Gid = gid, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(mtime) });
        return this;
    }

    public LayerBuilder File(string path, string content, int mode = 0b110_100_100, int uid = 0, int gid = 0, long mtime = 1_700_000_000, IDictionary<string, string>? xattrs = null) =>
        File(path, Encoding.UTF8.GetBytes(content), mode, uid, gid, mtime, xattrs);

    public LayerBuilder File(string path, byte[] content, int mode = 0b110_100_100, int uid = 0, int gid = 0, long mtime = 1_700_000_000, IDictionary<string, string>? xattrs = null)
    {
        var attributes = xattrs?.ToDictionary(x => "SCHILY.xattr." + x.Key, x => x.Value);
        var entry = attributes is null ? new PaxTarEntry(TarEntryType.RegularFile, path) : new PaxTarEntry(TarEntryType.RegularFile, path, attributes);
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(mtime);
        entry.DataStream = new MemoryStream(content);
        _entries.Add(entry);
        return this;
    }

    public LayerBuilder Symlink(string path, string target, int uid = 0, int gid = 0)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target, Mode = (UnixFileMode)0b111_111_111, Uid = uid, Gid = gid, ModificationTime = DefaultTime });
        return this;
    }

    public LayerBuilder Hardlink(string path, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.HardLink, path) { LinkName = target, ModificationTime = DefaultTime });
        return this;
    }

    public LayerBuilder CharacterDevice(string path, int major, int minor, int mode = 0b110_110_110)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.CharacterDevice, path) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)mode, ModificationTime = DefaultTime });
        return this;
    }

    public LayerBuilder Fifo(string path, int mode = 0b110_100_100)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Fifo, path) { Mode = (UnixFileMode)mode, ModificationTime = DefaultTime });
        return this;
    }

    /// <summary>An OCI whiteout: an empty regular file <c>.wh.&lt;name&gt;</c>.</summary>
    public LayerBuilder Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return File(slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..], string.Empty);
    }

    public LayerBuilder Opaque(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", string.Empty);

    public byte[] Tar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    public byte[] TarGz() => Gzip(Tar());

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
