namespace Strata.Cvmfs.Catalogs;

/// <summary>
/// The catalog <c>flags</c> column (cvmfs catalog_sql.h <c>kFlag*</c>). Bits 8–10 hold the content hash
/// algorithm id minus one and bits 11–13 the compression; use <see cref="EntryFlagsExtensions"/> for those.
/// </summary>
[Flags]
public enum EntryFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>A directory.</summary>
    Directory = 1,

    /// <summary>In a parent catalog: the directory where a nested catalog is mounted.</summary>
    NestedMountpoint = 2,

    /// <summary>A regular file (also set on symlinks, which add <see cref="Link"/>).</summary>
    File = 4,

    /// <summary>A symbolic link (stored as <c>File | Link</c> = 12).</summary>
    Link = 8,

    /// <summary>A special file: character/block device, FIFO or socket (type in <c>mode</c>).</summary>
    FileSpecial = 16,

    /// <summary>In a nested catalog: its root directory.</summary>
    NestedRoot = 32,

    /// <summary>A file stored as chunks (rows in the <c>chunks</c> table).</summary>
    Chunked = 64,

    /// <summary>A file stored outside the content-addressed store, by name.</summary>
    External = 128,

    /// <summary>Mask of the hash algorithm bits (8–10).</summary>
    HashAlgorithmMask = 0x700,

    /// <summary>Mask of the compression bits (11–13).</summary>
    CompressionMask = 0x3800,

    /// <summary>The mount point of a bind-mounted catalog.</summary>
    BindMountpoint = 0x4000,

    /// <summary>Hidden from directory listings.</summary>
    Hidden = 0x8000,

    /// <summary>Served with direct I/O (no page cache).</summary>
    DirectIo = 0x10000,
}
