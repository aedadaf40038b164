using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Strata.Server.Tests.Publication;

/// <summary>Builds real gzip-compressed layer tars for publication tests.</summary>
internal sealed class LayerBuilder
{
    private readonly MemoryStream _tar = new();
    private readonly TarWriter _writer;

    public LayerBuilder() => _writer = new TarWriter(_tar, TarEntryFormat.Pax, leaveOpen: true);

    public LayerBuilder File(string path, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = mode,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        });
        return this;
    }

    public LayerBuilder Directory(string path)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) });
        return this;
    }

    public LayerBuilder Symlink(string path, string target)
    {
        _writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) });
        return this;
    }

    /// <summary>The layer as gzip bytes (the tar is finished by this call).</summary>
    public byte[] Gzip()
    {
        _writer.Dispose();
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            _tar.Position = 0;
            _tar.CopyTo(gzip);
        }

        return output.ToArray();
    }
}
