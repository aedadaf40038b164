namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// One set of catalog counters (cvmfs <c>catalog::Counters</c>), kept twice in the
/// <c>statistics</c> table: <c>self_*</c> for the catalog's own rows, <c>subtree_*</c> for all
/// catalogs nested below it.
/// </summary>
public sealed record CatalogCounters
{
    /// <summary>The counter names in the order cvmfs inserts them (alphabetical).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "chunked", "chunked_size", "chunks", "dir", "external", "external_file_size",
        "file_size", "nested", "regular", "special", "symlink", "xattr",
    ];

    /// <summary>Chunked regular files.</summary>
    public long Chunked { get; init; }

    /// <summary>Total size of chunked files.</summary>
    public long ChunkedSize { get; init; }

    /// <summary>Rows in the <c>chunks</c> table.</summary>
    public long Chunks { get; init; }

    /// <summary>Directories, including the catalog's root and nested mount points.</summary>
    public long Directories { get; init; }

    /// <summary>External files.</summary>
    public long External { get; init; }

    /// <summary>Total size of external files.</summary>
    public long ExternalFileSize { get; init; }

    /// <summary>Total size of regular files (chunked ones included).</summary>
    public long FileSize { get; init; }

    /// <summary>Nested catalogs referenced.</summary>
    public long Nested { get; init; }

    /// <summary>Regular files (chunked ones included).</summary>
    public long Regular { get; init; }

    /// <summary>Special files.</summary>
    public long Special { get; init; }

    /// <summary>Symbolic links.</summary>
    public long Symlinks { get; init; }

    /// <summary>Entries that have extended attributes.</summary>
    public long Xattrs { get; init; }

    /// <summary>All zero.</summary>
    public static CatalogCounters Zero { get; } = new();

    /// <summary>Counter values by name, in <see cref="Names"/> order.</summary>
    public IEnumerable<KeyValuePair<string, long>> ToPairs()
    {
        yield return new("chunked", Chunked);
        yield return new("chunked_size", ChunkedSize);
        yield return new("chunks", Chunks);
        yield return new("dir", Directories);
        yield return new("external", External);
        yield return new("external_file_size", ExternalFileSize);
        yield return new("file_size", FileSize);
        yield return new("nested", Nested);
        yield return new("regular", Regular);
        yield return new("special", Special);
        yield return new("symlink", Symlinks);
        yield return new("xattr", Xattrs);
    }

    /// <summary>Reads the counters with a prefix (<c>self_</c>, <c>subtree_</c>); missing ones are 0.</summary>
    public static CatalogCounters FromTable(IReadOnlyDictionary<string, long> table, string prefix)
    {
        long Get(string name) => table.TryGetValue(prefix + name, out var value) ? value : 0;
        return new CatalogCounters
        {
            Chunked = Get("chunked"),
            ChunkedSize = Get("chunked_size"),
            Chunks = Get("chunks"),
            Directories = Get("dir"),
            External = Get("external"),
            ExternalFileSize = Get("external_file_size"),
            FileSize = Get("file_size"),
            Nested = Get("nested"),
            Regular = Get("regular"),
            Special = Get("special"),
            Symlinks = Get("symlink"),
            Xattrs = Get("xattr"),
        };
    }

    /// <summary>The counters of one entry (cvmfs <c>DeltaCounters::ApplyDelta</c>).</summary>
    public static CatalogCounters ForEntry(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var xattrs = entry.Xattrs is { Count: > 0 } ? 1 : 0;
        return entry.Kind switch
        {
            EntryKind.File => new CatalogCounters
            {
                Regular = 1,
                FileSize = entry.Size,
                Chunked = entry.IsChunked ? 1 : 0,
                ChunkedSize = entry.IsChunked ? entry.Size : 0,
                External = entry.Flags.HasFlag(EntryFlags.External) ? 1 : 0,
                ExternalFileSize = entry.Flags.HasFlag(EntryFlags.External) ? entry.Size : 0,
                Xattrs = xattrs,
            },
            EntryKind.Symlink => new CatalogCounters { Symlinks = 1, Xattrs = xattrs },
            EntryKind.Directory => new CatalogCounters { Directories = 1, Xattrs = xattrs },
            _ => new CatalogCounters { Special = 1, Xattrs = xattrs },
        };
    }

    /// <summary>Sum of two counter sets.</summary>
    public static CatalogCounters operator +(CatalogCounters a, CatalogCounters b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new CatalogCounters
        {
            Chunked = a.Chunked + b.Chunked,
            ChunkedSize = a.ChunkedSize + b.ChunkedSize,
            Chunks = a.Chunks + b.Chunks,
            Directories = a.Directories + b.Directories,
            External = a.External + b.External,
            ExternalFileSize = a.ExternalFileSize + b.ExternalFileSize,
            FileSize = a.FileSize + b.FileSize,
            Nested = a.Nested + b.Nested,
            Regular = a.Regular + b.Regular,
            Special = a.Special + b.Special,
            Symlinks = a.Symlinks + b.Symlinks,
            Xattrs = a.Xattrs + b.Xattrs,
        };
    }
}
