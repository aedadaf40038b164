using System.Text;

namespace Strata.Publish.Layers;

/// <summary>
/// The keys of PAX extended headers the publisher uses. Values stay bytes: xattr values are
/// binary (e.g. <c>security.capability</c>) and must not go through a text decoder, which is one
/// reason Strata reads tar itself rather than with System.Formats.Tar (whose PAX dictionary is
/// string-typed, and whose extended headers are buffered up to 2 GiB).
/// </summary>
internal sealed class PaxRecords
{
    public string? Path { get; private set; }
    public string? LinkPath { get; private set; }
    public long? Size { get; private set; }
    public long? Uid { get; private set; }
    public long? Gid { get; private set; }
    public (long Seconds, int Nanoseconds)? Mtime { get; private set; }
    public Dictionary<string, byte[]> Xattrs { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Path is null && LinkPath is null && Size is null && Uid is null && Gid is null && Mtime is null && Xattrs.Count == 0;

    /// <summary>Parses records <c>"&lt;len&gt; &lt;key&gt;=&lt;value&gt;\n"</c> (len counts the whole record) into this set, later keys winning.</summary>
    public void Parse(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (!data.ContainsAnyExcept((byte)0))
            {
                return; // NUL padding after the last record
            }

            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], System.Globalization.NumberStyles.None, null, out var length)
                || length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
            {
                throw new LayerFormatException("malformed PAX extended header record");
            }

            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new LayerFormatException("malformed PAX extended header record (no key)");
            }

            Apply(Encoding.UTF8.GetString(record[..equals]), record[(equals + 1)..]);
            data = data[length..];
        }
    }

    private void Apply(string key, ReadOnlySpan<byte> value)
    {
        switch (key)
        {
            case "path": Path = Text(value); break;
            case "linkpath": LinkPath = Text(value); break;
            case "size": Size = Integer(value, key); break;
            case "uid": Uid = Integer(value, key); break;
            case "gid": Gid = Integer(value, key); break;
            case "mtime": Mtime = Time(value); break;
            default:
                if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                {
                    Xattrs[key["SCHILY.xattr.".Length..]] = value.ToArray();
                }
                else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
                {
                    Xattrs[Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..])] = Convert.FromBase64String(Encoding.ASCII.GetString(value));
                }
                else if (key.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                {
                    throw new LayerFormatException("sparse files in layers are not supported");
                }

                break;
        }
    }

    /// <summary>Copies the values of <paramref name="global"/> (a 'g' header) that this set does not override.</summary>
    public void InheritFrom(PaxRecords global)
    {
        Path ??= global.Path;
        LinkPath ??= global.LinkPath;
        Uid ??= global.Uid;
        Gid ??= global.Gid;
        Mtime ??= global.Mtime;
        foreach (var (name, value) in global.Xattrs)
        {
            Xattrs.TryAdd(name, value);
        }
    }

    private static string Text(ReadOnlySpan<byte> value) =>
        value.Contains((byte)0) ? throw new LayerFormatException("PAX path contains a NUL byte") : Encoding.UTF8.GetString(value);

    private static long Integer(ReadOnlySpan<byte> value, string key) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, null, out var n)
            ? n
            : throw new LayerFormatException($"PAX '{key}' is not a non-negative integer");

    private static (long, int) Time(ReadOnlySpan<byte> value)
    {
        var dot = value.IndexOf((byte)'.');
        var whole = dot < 0 ? value : value[..dot];
        if (!long.TryParse(whole, System.Globalization.NumberStyles.AllowLeadingSign, null, out var seconds))
        {
            throw new LayerFormatException("PAX 'mtime' is not a number");
        }

        var nanos = 0;
        if (dot >= 0)
        {
            var fraction = value[(dot + 1)..];
            for (var i = 0; i < 9; i++)
            {
                var digit = i < fraction.Length ? fraction[i] - '0' : 0;
                if (digit is < 0 or > 9)
                {
                    throw new LayerFormatException("PAX 'mtime' is not a number");
                }

                nanos = nanos * 10 + digit;
            }
        }

        return (seconds, nanos);
    }
}
