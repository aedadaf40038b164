using Strata.Cvmfs.Catalogs;

namespace Strata.Publish.Trees;

/// <summary>
/// One entry of an in-memory file tree: what a catalog row says, without path keys (paths change
/// when layer rows move into a flat image). Layer ingestion builds these trees, the flattener
/// merges them, and <see cref="TreeCatalogWriter"/> turns them into catalogs.
/// </summary>
public sealed class FsNode
{
    private Dictionary<string, FsNode>? _children;

    public FsNode(string name, FsNodeType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; set; }

    public FsNodeType Type { get; set; }

    /// <summary>Full <c>st_mode</c>, type bits included.</summary>
    public uint Mode { get; set; }

    public long Uid { get; set; }

    public long Gid { get; set; }

    public long Mtime { get; set; }

    /// <summary>File size; for special files the device number (<c>st_rdev</c>), as the catalog stores it.</summary>
    public long Size { get; set; }

    /// <summary>Raw symlink target.</summary>
    public string? Symlink { get; set; }

    public FileContent? Content { get; set; }

    public ExtendedAttributes? Xattrs { get; set; }

    /// <summary>Non-zero: nodes with the same id are one inode (hard links); groups are rebuilt per directory when written.</summary>
    public long InodeId { get; set; }

    /// <summary>Layer trees only: an overlayfs opaque directory (hides everything below it in lower layers).</summary>
    public bool Opaque { get; set; }

    /// <summary>Layer trees only: a parent directory the layer did not list (created with defaults).</summary>
    public bool Implicit { get; set; }

    /// <summary>This directory is an existing nested catalog, kept by reference.</summary>
    public NestedMount? Mount { get; set; }

    /// <summary>For a <see cref="Mount"/>: the link count of the nested root row, which the mount point row repeats.</summary>
    public uint LinkCountHint { get; set; } = 2;

    /// <summary>Always write this directory as its own nested catalog.</summary>
    public bool ForceNested { get; set; }

    public bool IsDirectory => Type == FsNodeType.Directory;

    /// <summary>An overlayfs whiteout: character device 0/0.</summary>
    public bool IsWhiteout => Type == FsNodeType.Special && (Mode & UnixMode.TypeMask) == UnixMode.CharacterDevice && Size == 0;

    /// <summary>Children by name (ordinal); directories only.</summary>
    public Dictionary<string, FsNode> Children => _children ??= new Dictionary<string, FsNode>(StringComparer.Ordinal);

    public bool HasChildren => _children is { Count: > 0 };

    public static FsNode Directory(string name, uint permissions, long uid, long gid, long mtime) =>
        new(name, FsNodeType.Directory) { Mode = UnixMode.Directory | permissions, Uid = uid, Gid = gid, Mtime = mtime, Size = 4096 };

    /// <summary>Copies everything but name and children.</summary>
    public FsNode CloneAttributes(string? name = null) => new(name ?? Name, Type)
    {
        Mode = Mode,
        Uid = Uid,
        Gid = Gid,
        Mtime = Mtime,
        Size = Size,
        Symlink = Symlink,
        Content = Content,
        Xattrs = Xattrs,
        InodeId = InodeId,
        Mount = Mount,
        LinkCountHint = LinkCountHint,
    };

    /// <summary>Takes over metadata (not type, name, children or content) from <paramref name="other"/>.</summary>
    public void CopyMetadataFrom(FsNode other)
    {
        Mode = other.Mode;
        Uid = other.Uid;
        Gid = other.Gid;
        Mtime = other.Mtime;
        Xattrs = other.Xattrs;
    }
}
