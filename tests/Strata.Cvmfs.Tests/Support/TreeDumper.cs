using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;

namespace Strata.Cvmfs.Tests.Support;

/// <summary>
/// Produces the lines of tools/dump-tree.py from a <see cref="RepositoryReader"/>: list every
/// directory, look every path up (like lstat), hash file content read through the reader.
/// </summary>
internal static class TreeDumper
{
    public static async Task<List<string>> DumpAsync(RepositoryReader reader, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        await CollectAsync(reader, "/", paths, cancellationToken);
        paths.Sort((a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

        var lines = new List<string>();
        foreach (var path in paths)
        {
            var entry = await reader.LookupAsync(path, cancellationToken) ?? throw new InvalidOperationException($"Listed but not found: {path}");
            lines.Add(await LineAsync(reader, entry, cancellationToken));
        }

        return lines;
    }

    private static async Task CollectAsync(RepositoryReader reader, string path, List<string> paths, CancellationToken cancellationToken)
    {
        paths.Add(path);
        var entry = await reader.LookupAsync(path, cancellationToken);
        if (entry?.Kind != EntryKind.Directory)
        {
            return;
        }

        foreach (var child in await reader.ListAsync(path, cancellationToken))
        {
            await CollectAsync(reader, child.Path, paths, cancellationToken);
        }
    }

    private static async Task<string> LineAsync(RepositoryReader reader, RepositoryEntry entry, CancellationToken cancellationToken)
    {
        var type = entry.Kind switch
        {
            EntryKind.Directory => "dir",
            EntryKind.File => "file",
            EntryKind.Symlink => "symlink",
            _ => "other",
        };
        var line = new StringBuilder("{");
        line.Append("\"path\":").Append(PythonJson.String(entry.Path));
        line.Append(",\"type\":").Append(PythonJson.String(type));
        line.Append(",\"mode\":").Append(PythonJson.String(Convert.ToString(entry.Permissions, 8).PadLeft(4, '0')));
        line.Append(",\"uid\":").Append(PythonJson.Number(entry.Uid));
        line.Append(",\"gid\":").Append(PythonJson.Number(entry.Gid));
        line.Append(",\"size\":").Append(PythonJson.Number(entry.Size));
        line.Append(",\"nlink\":").Append(PythonJson.Number(entry.LinkCount));
        line.Append(",\"mtime\":").Append(PythonJson.Number(entry.Mtime));
        if (entry.Kind == EntryKind.File)
        {
            await using var content = await reader.OpenFileAsync(entry, cancellationToken);
            var sha256 = await SHA256.HashDataAsync(content, cancellationToken);
            line.Append(",\"sha256\":").Append(PythonJson.String(Convert.ToHexStringLower(sha256)));
        }

        if (entry.SymlinkTarget is { } target)
        {
            line.Append(",\"target\":").Append(PythonJson.String(target));
        }

        if (entry.Xattrs is { Count: > 0 } xattrs)
        {
            var pairs = xattrs.Attributes
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => PythonJson.String(a.Key) + ":" + PythonJson.String(Convert.ToHexStringLower(a.Value)));
            line.Append(",\"xattrs\":{").Append(string.Join(",", pairs)).Append('}');
        }

        return line.Append('}').ToString();
    }
}
