using System.Formats.Tar;
using System.IO.Compression;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the entries of an image layer blob (a tar, plain or gzip-compressed), as the tests' own check of what a client wrote.</summary>
public static class LayerTar
{
    /// <summary>One entry: its path without a leading <c>./</c> or <c>/</c>, its kind and, for regular files, its content.</summary>
    public sealed record Entry(string Name, TarEntryType Type, byte[]? Content);

    public static IReadOnlyList<Entry> Read(OciLayout layout, OciDescriptor layer)
    {
        using var file = File.OpenRead(layout.BlobPath(layer.Digest));
        using Stream tar = layer.MediaType.EndsWith("+gzip", StringComparison.Ordinal) || layer.MediaType.EndsWith(".gzip", StringComparison.Ordinal)
            ? new GZipStream(file, CompressionMode.Decompress)
            : layer.MediaType.EndsWith(".tar", StringComparison.Ordinal)
                ? file
                : throw new InvalidOperationException($"{layer.Digest}: the tests cannot read layers of type {layer.MediaType}");
        using var reader = new TarReader(tar);
        var entries = new List<Entry>();
        while (reader.GetNextEntry() is { } entry)
        {
            byte[]? content = null;
            if (entry.DataStream is not null && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var buffer = new MemoryStream();
                entry.DataStream.CopyTo(buffer);
                content = buffer.ToArray();
            }

            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            entries.Add(new Entry(name.TrimStart('/'), entry.EntryType, content));
        }

        return entries;
    }
}
