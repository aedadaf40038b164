using Strata.Cvmfs;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Publish.Trees;

/// <summary>
/// Reads catalogs back into <see cref="FsNode"/> trees: every row, chunk list and xattr, keyed
/// by the tree structure instead of path hashes. Nested catalogs are read too where
/// <c>follow</c> says so, otherwise kept as mounts. Hardlink groups become inode ids, unique
/// across everything loaded with the same <see cref="InodeIds"/>.
/// </summary>
public sealed class CatalogTreeLoader(CatalogCache cache)
{
    public async Task<LoadedCatalog> LoadAsync(ContentHash hash, long size, string rootPath, Func<string, bool> follow, InodeIds inodeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(follow);
        ArgumentNullException.ThrowIfNull(inodeIds);
        List<CatalogEntry> rows;
        Dictionary<PathKey, NestedCatalogReference> nested;
        Dictionary<PathKey, IReadOnlyList<ChunkRecord>> chunks = [];
        CatalogStatistics statistics;
        IReadOnlyDictionary<string, string> properties;
        using (var catalog = await cache.OpenAsync(hash, size, cancellationToken).ConfigureAwait(false))
        {
            if (catalog.RootPrefix != rootPath && !(rootPath.Length == 0 && catalog.RootPrefix == "/"))
            {
                throw new CvmfsFormatException($"Catalog {hash} has root prefix '{catalog.RootPrefix}', expected '{rootPath}'.");
            }

            rows = [.. catalog.ListAll()];
            nested = catalog.NestedCatalogs.ToDictionary(n => PathKey.ForPath(n.Path));
            foreach (var row in rows)
            {
                if (row.IsChunked)
                {
                    chunks[row.Key] = catalog.ListChunks(row.Key, row.HashAlgorithm);
                }
            }

            statistics = catalog.Statistics;
            properties = catalog.Properties;
        }

        var rootKey = PathKey.ForPath(rootPath);
        var nodes = new Dictionary<PathKey, FsNode>(rows.Count);
        var groups = new Dictionary<uint, long>();
        FsNode? root = null;
        foreach (var row in rows)
        {
            var node = FromRow(row, chunks, groups, inodeIds);
            nodes[row.Key] = node;
            if (row.Key == rootKey)
            {
                root = node;
            }
        }

        if (root is null || !root.IsDirectory)
        {
            throw new CvmfsFormatException($"Catalog {hash} has no root directory row for '{rootPath}'.");
        }

        foreach (var row in rows)
        {
            if (row.Key == rootKey)
            {
                continue;
            }

            if (!nodes.TryGetValue(row.ParentKey, out var parent) || !parent.IsDirectory)
            {
                throw new CvmfsFormatException($"Catalog {hash}: row '{row.Name}' has no parent directory in the catalog.");
            }

            parent.Children[row.Name] = nodes[row.Key];
        }

        var followed = CatalogCounters.Zero;
        foreach (var row in rows)
        {
            if (!row.IsNestedMountpoint || row.Key == rootKey)
            {
                continue;
            }

            if (!nested.TryGetValue(row.Key, out var reference))
            {
                throw new CvmfsFormatException($"Catalog {hash}: mount point '{row.Name}' has no nested catalog row.");
            }

            var node = nodes[row.Key];
            if (follow(reference.Path))
            {
                var child = await LoadAsync(reference.Hash, reference.Size, reference.Path, follow, inodeIds, cancellationToken).ConfigureAwait(false);
                node.Mount = null;
                foreach (var (name, grandchild) in child.Root.Children)
                {
                    node.Children[name] = grandchild;
                }

                node.CopyMetadataFrom(child.Root);
                followed += child.Statistics.Total;
            }
            else
            {
                node.Mount = new NestedMount(reference.Hash, reference.Size, null);
            }
        }

        return new LoadedCatalog(root, statistics, properties, followed);
    }

    private static FsNode FromRow(CatalogEntry row, Dictionary<PathKey, IReadOnlyList<ChunkRecord>> chunks, Dictionary<uint, long> groups, InodeIds inodeIds)
    {
        var type = row.Kind switch
        {
            EntryKind.Directory => FsNodeType.Directory,
            EntryKind.Symlink => FsNodeType.Symlink,
            EntryKind.Special => FsNodeType.Special,
            _ => FsNodeType.File,
        };
        var node = new FsNode(row.Name, type)
        {
            Mode = row.Mode,
            Uid = row.Uid,
            Gid = row.Gid,
            Mtime = row.Mtime,
            Size = row.Size,
            Xattrs = row.Xattrs,
            LinkCountHint = type == FsNodeType.Directory ? row.LinkCount : 1,
        };
        if (type == FsNodeType.Symlink)
        {
            node.Symlink = row.Symlink;
        }
        else if (type == FsNodeType.File)
        {
            var contentFlags = row.Flags & (EntryFlags.File | EntryFlags.Chunked | EntryFlags.HashAlgorithmMask | EntryFlags.CompressionMask);
            node.Content = new FileContent(row.ContentHash, row.IsChunked ? chunks.GetValueOrDefault(row.Key, []) : [], contentFlags);
        }

        if (row.HardlinkGroup != 0 && type != FsNodeType.Directory)
        {
            if (!groups.TryGetValue(row.HardlinkGroup, out var inode))
            {
                inode = inodeIds.Next();
                groups[row.HardlinkGroup] = inode;
            }

            node.InodeId = inode;
        }

        return node;
    }
}
