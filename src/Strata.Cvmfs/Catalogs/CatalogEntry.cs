using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// One row of the <c>catalog</c> table, as stored. Paths are not stored (only MD5 keys and the
/// entry's own name), so the reader supplies them from the walk.
/// </summary>
public sealed record CatalogEntry
{
    /// <summary><c>md5path_1/2</c>: key of the entry's full path.</summary>
    public required PathKey Key { get; init; }

    /// <summary><c>parent_1/2</c>: key of the parent directory (<see cref="PathKey.None"/> for the repository root).</summary>
    public required PathKey ParentKey { get; init; }

    /// <summary><c>hardlinks</c>: <c>(hardlink group &lt;&lt; 32) | link count</c>.</summary>
    public long Hardlinks { get; init; } = 1;

    /// <summary><c>hash</c>: content hash of a regular file (null for directories, symlinks and chunked files).</summary>
    public ContentHash? ContentHash { get; init; }

    /// <summary><c>size</c>: file size (4096 for directories, target length for symlinks).</summary>
    public long Size { get; init; }

    /// <summary><c>mode</c>: POSIX mode including the file type bits (<c>S_IFDIR</c> …).</summary>
    public uint Mode { get; init; }

    /// <summary><c>mtime</c>: modification time, seconds since the epoch.</summary>
    public long Mtime { get; init; }

    /// <summary><c>mtimens</c>: nanosecond part of the mtime, when stored.</summary>
    public int? MtimeNanoseconds { get; init; }

    /// <summary><c>flags</c>.</summary>
    public required EntryFlags Flags { get; init; }

    /// <summary><c>name</c>: the last path component (empty for the repository root).</summary>
    public required string Name { get; init; }

    /// <summary><c>symlink</c>: the raw (unexpanded) link target; empty for non-links.</summary>
    public string Symlink { get; init; } = string.Empty;

    /// <summary><c>uid</c>.</summary>
    public long Uid { get; init; }

    /// <summary><c>gid</c>.</summary>
    public long Gid { get; init; }

    /// <summary><c>xattr</c>: extended attributes, or null when the entry has none.</summary>
    public ExtendedAttributes? Xattrs { get; init; }

    /// <summary>The entry type, decided like cvmfs's <c>DirectoryEntry</c> accessors.</summary>
    public EntryKind Kind =>
        Flags.HasFlag(EntryFlags.Directory) ? EntryKind.Directory
        : Flags.HasFlag(EntryFlags.Link) ? EntryKind.Symlink
        : Flags.HasFlag(EntryFlags.FileSpecial) ? EntryKind.Special
        : EntryKind.File;

    /// <summary>Low 32 bits of <see cref="Hardlinks"/>: what <c>stat</c> shows as nlink.</summary>
    public uint LinkCount => (uint)(Hardlinks & 0xFFFFFFFF);

    /// <summary>High 32 bits of <see cref="Hardlinks"/>: entries with the same non-zero group share an inode.</summary>
    public uint HardlinkGroup => (uint)((ulong)Hardlinks >> 32);

    /// <summary>True for a file stored as chunks.</summary>
    public bool IsChunked => Flags.HasFlag(EntryFlags.Chunked);

    /// <summary>True for the directory where a nested catalog is mounted (row in the parent catalog).</summary>
    public bool IsNestedMountpoint => Flags.HasFlag(EntryFlags.NestedMountpoint);

    /// <summary>True for the root row of a nested catalog.</summary>
    public bool IsNestedRoot => Flags.HasFlag(EntryFlags.NestedRoot);

    /// <summary>True for an entry hidden from listings.</summary>
    public bool IsHidden => Flags.HasFlag(EntryFlags.Hidden);

    /// <summary>Content hash algorithm of the entry's objects.</summary>
    public ContentHashAlgorithm HashAlgorithm => Flags.HashAlgorithm();

    /// <summary>Compression of the entry's objects.</summary>
    public ObjectCompression Compression => Flags.Compression();

    /// <summary>Combines a hardlink group and link count into the stored column value.</summary>
    public static long PackHardlinks(uint group, uint linkCount) => (long)(((ulong)group << 32) | linkCount);
}
