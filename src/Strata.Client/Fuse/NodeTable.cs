using Strata.Client.Repository;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>
/// Inode numbers. A node is keyed by what must not change under an inode: a directory by its path
/// (so a shell inside it survives a revision change), a file by its path and content, a symlink by
/// its target, and a hardlink group by its catalog, directory and group, so all names of the group
/// share one inode. When a new revision changes a file, its path gets a fresh inode number; numbers
/// are never reused, so <c>nodeid:generation</c> is unique for the mount's lifetime and the kernel
/// page cache of the old content (kept with FOPEN_KEEP_CACHE) can never be served for the new one.
/// </summary>
internal sealed class NodeTable
{
    public const ulong RootId = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, FsNode> _byId = [];
    private readonly Dictionary<string, FsNode> _byKey = new(StringComparer.Ordinal);
    private ulong _next = RootId + 1;

    public NodeTable(RepositoryEntry root, RevisionView view)
    {
        var node = new FsNode(RootId, KeyOf(root), root, view) { Lookups = 1 };
        _byId[RootId] = node;
        _byKey[node.Key] = node;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public FsNode? Get(ulong id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>The node for <paramref name="entry"/> (created when new), with one more kernel lookup counted.</summary>
    public FsNode Acquire(RepositoryEntry entry, RevisionView view)
    {
        var key = KeyOf(entry);
        lock (_gate)
        {
            if (!_byKey.TryGetValue(key, out var node))
            {
                node = new FsNode(_next++, key, entry, view);
                _byId[node.Id] = node;
                _byKey[key] = node;
            }
            else
            {
                // Same identity, possibly newer metadata (mode, owner, mtime) from a newer revision.
                node.Entry = entry;
                node.View = view;
            }

            node.Lookups++;
            return node;
        }
    }

    /// <summary>The kernel dropped <paramref name="count"/> references.</summary>
    public void Forget(ulong id, ulong count)
    {
        if (id == RootId)
        {
            return;
        }

        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var node))
            {
                node.Lookups -= (long)count;
                if (node.Lookups <= 0)
                {
                    _byId.Remove(id);
                    if (_byKey.TryGetValue(node.Key, out var current) && ReferenceEquals(current, node))
                    {
                        _byKey.Remove(node.Key);
                    }
                }
            }
        }
    }

    /// <summary>An inode number for a listing entry without taking a reference (the node's when known).</summary>
    public ulong PeekId(RepositoryEntry entry)
    {
        lock (_gate)
        {
            return _byKey.TryGetValue(KeyOf(entry), out var node) ? node.Id : (ulong)(uint)StringComparer.Ordinal.GetHashCode(entry.Path) | (1UL << 40);
        }
    }

    public static string KeyOf(RepositoryEntry entry)
    {
        var row = entry.Row;
        return entry.Kind switch
        {
            EntryKind.Directory => "d" + entry.Path,
            EntryKind.File when row.HardlinkGroup != 0 =>
                $"h{entry.CatalogMountpoint}\0{ParentOf(entry.Path)}\0{row.HardlinkGroup}\0{row.ContentHash}\0{row.Size}",
            EntryKind.File => $"f{entry.Path}\0{(row.IsChunked ? "chunked" : row.ContentHash?.ToString())}\0{row.Size}\0{row.Mtime}",
            EntryKind.Symlink => $"l{entry.Path}\0{entry.SymlinkTarget}",
            _ => $"o{entry.Path}\0{row.Mode}\0{row.Size}",
        };
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
