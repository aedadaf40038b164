using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reading;

/// <summary>
/// A path in a repository as a client presents it (what <c>stat</c>, <c>readlink</c> and
/// <c>listxattr</c> show), backed by its catalog row.
/// </summary>
public sealed record RepositoryEntry
{
    /// <summary>Full repository path: <c>/</c> for the root, <c>/dir/name</c> otherwise.</summary>
    public required string Path { get; init; }

    /// <summary>The catalog row (for a nested catalog's mount point, the nested catalog's root row).</summary>
    public required CatalogEntry Row { get; init; }

    /// <summary>Mount point of the catalog holding <see cref="Row"/> (empty for the root catalog).</summary>
    public required string CatalogMountpoint { get; init; }

    /// <summary>The symlink target with variant symlinks expanded; null for non-links.</summary>
    public string? SymlinkTarget { get; init; }

    /// <summary>The last path component (empty for the root).</summary>
    public string Name => Row.Name;

    /// <summary>Entry type.</summary>
    public EntryKind Kind => Row.Kind;

    /// <summary>Full mode including file type bits.</summary>
    public uint Mode => Row.Mode;

    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    public uint Permissions => Row.Mode & 0xFFF;

    /// <summary>Owner.</summary>
    public long Uid => Row.Uid;

    /// <summary>Group.</summary>
    public long Gid => Row.Gid;

    /// <summary>Size as <c>stat</c> shows it: for symlinks the byte length of the expanded target.</summary>
    public long Size => SymlinkTarget is null ? Row.Size : Encoding.UTF8.GetByteCount(SymlinkTarget);

    /// <summary>Link count (<c>nlink</c>).</summary>
    public uint LinkCount => Row.LinkCount;

    /// <summary>Modification time, seconds since the epoch.</summary>
    public long Mtime => Row.Mtime;

    /// <summary>Extended attributes stored for the entry (null when none).</summary>
    public ExtendedAttributes? Xattrs => Row.Xattrs;

    /// <summary>Content hash of a non-chunked regular file.</summary>
    public ContentHash? ContentHash => Row.ContentHash;
}
