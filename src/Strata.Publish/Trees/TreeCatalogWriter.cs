using System.Text;
using Microsoft.Data.Sqlite;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Writing;

namespace Strata.Publish.Trees;

/// <summary>
/// Writes an <see cref="FsNode"/> tree as schema 2.5 catalogs and stores them as objects, nested
/// catalogs first (a parent needs its children's hashes). Rows follow cvmfs's conventions:
/// <list type="bullet">
/// <item>directories: size 4096, link count 2 + subdirectories; mount points appear in both the
/// parent (flags 3) and the nested root (flags 33);</item>
/// <item>symlinks: flags 12, size = bytes of the raw target; special files: flags 20
/// (File | FileSpecial), the device number in <c>size</c>;</item>
/// <item>hard links: nodes sharing an inode id in one directory become one hardlink group with the
/// group's size as link count; the same inode in other directories is an independent file, as
/// cvmfs_server does with <c>CVMFS_IGNORE_XDIR_HARDLINKS</c>;</item>
/// <item>an opaque directory gets <c>trusted.overlay.opaque=y</c>.</item>
/// </list>
/// Statistics are exact: each catalog counts its rows and adds its children's totals.
/// </summary>
public sealed class TreeCatalogWriter(IObjectSink sink, CatalogWriteOptions options, CatalogCache? cache = null)
{
    private static readonly byte[] OpaqueValue = "y"u8.ToArray();

    public async Task<WrittenCatalog> WriteAsync(CatalogWriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Root.IsDirectory)
        {
            throw new ArgumentException("A catalog root must be a directory.", nameof(request));
        }

        var cuts = CatalogSplitPlanner.Plan(request.Root, options.MaxEntriesPerCatalog);
        Directory.CreateDirectory(options.WorkDirectory);
        return await WriteCatalogAsync(request.Root, request.Path, cuts, request, isTop: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WrittenCatalog> WriteCatalogAsync(FsNode root, string path, HashSet<FsNode> cuts, CatalogWriteRequest request, bool isTop, CancellationToken cancellationToken)
    {
        var file = Path.Combine(options.WorkDirectory, "catalog-" + Guid.NewGuid().ToString("N") + ".sqlite");
        try
        {
            var state = new CatalogState(isTop ? request.BaseSubtree : CatalogCounters.Zero);
            CatalogStatistics statistics;
            var rootAttributes = root.CloneAttributes();
            rootAttributes.Mount = null;
            rootAttributes.LinkCountHint = (uint)DirectoryLinkCount(root);
            using (var writer = CatalogWriter.Create(file, path))
            {
                var parentKey = path.Length == 0 ? PathKey.None : PathKey.ForPath(ParentOf(path));
                var flags = path.Length == 0 ? EntryFlags.Directory : EntryFlags.Directory | EntryFlags.NestedRoot;
                writer.Add(Row(root, path, parentKey, flags, DirectoryLinkCount(root)));
                await AddChildrenAsync(writer, root, path, cuts, request, state, cancellationToken).ConfigureAwait(false);
                if (!state.BaseApplied && !CountersMath.IsZero(state.Base))
                {
                    throw new InvalidOperationException($"Catalog '{path}': base subtree counters were given, but no mount with unknown totals holds them.");
                }

                statistics = writer.Complete(new CatalogProperties
                {
                    Revision = options.Revision,
                    LastModified = options.LastModified,
                    PreviousRevision = request.PreviousRevisions.TryGetValue(path, out var previous) ? previous : CatalogProperties.NoPreviousRevision,
                    TtlSeconds = path.Length == 0 ? request.TtlSeconds : null,
                });
            }

            if (isTop && request.ExtraProperties is { Count: > 0 } extra)
            {
                AddProperties(file, extra);
            }

            var size = new FileInfo(file).Length;
            var (id, _) = await ObjectWriter.WriteFileAsync(sink, file, ObjectKind.Catalog, options.Algorithm, cancellationToken).ConfigureAwait(false);
            cache?.Adopt(id.Hash, file);
            return new WrittenCatalog(path, id.Hash, size, statistics, rootAttributes, state.Catalogs);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task AddChildrenAsync(CatalogWriter writer, FsNode directory, string directoryPath, HashSet<FsNode> cuts, CatalogWriteRequest request, CatalogState state, CancellationToken cancellationToken)
    {
        if (!directory.HasChildren)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var directoryKey = PathKey.ForPath(directoryPath);
        var groups = HardlinkGroups(directory, state);
        foreach (var child in directory.Children.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var childPath = directoryPath + "/" + child.Name;
            if (!child.IsDirectory)
            {
                var hardlinks = child.InodeId != 0 && groups is not null && groups.TryGetValue(child.InodeId, out var group)
                    ? CatalogEntry.PackHardlinks(group.Group, group.Count)
                    : 1;
                var row = Row(child, childPath, directoryKey, EntryFlags.None, hardlinks);
                writer.Add(row);
                if (child.Content is { Chunks.Count: > 0 } content)
                {
                    writer.AddChunks(row.Key, content.Chunks);
                }

                continue;
            }

            if (child.Mount is { } mount)
            {
                writer.Add(Row(child, childPath, directoryKey, EntryFlags.Directory | EntryFlags.NestedMountpoint, child.LinkCountHint));
                CatalogStatistics childStatistics;
                if (mount.Totals is { } totals)
                {
                    childStatistics = new CatalogStatistics(totals, CatalogCounters.Zero);
                }
                else
                {
                    // Unknown totals are part of the base carried over from the replaced catalog;
                    // the base rides on the first such mount (CatalogWriter only sums children).
                    childStatistics = new CatalogStatistics(state.BaseApplied ? CatalogCounters.Zero : state.Base, CatalogCounters.Zero);
                    state.BaseApplied = true;
                }

                writer.AddNestedCatalog(new NestedCatalogReference(childPath, mount.Hash, mount.Size), childStatistics);
                continue;
            }

            if (cuts.Contains(child))
            {
                var nested = await WriteCatalogAsync(child, childPath, cuts, request, isTop: false, cancellationToken).ConfigureAwait(false);
                writer.Add(Row(child, childPath, directoryKey, EntryFlags.Directory | EntryFlags.NestedMountpoint, DirectoryLinkCount(child)));
                writer.AddNestedCatalog(new NestedCatalogReference(childPath, nested.Hash, nested.Size), nested.Statistics);
                state.Catalogs += nested.CatalogCount;
                continue;
            }

            writer.Add(Row(child, childPath, directoryKey, EntryFlags.Directory, DirectoryLinkCount(child)));
            await AddChildrenAsync(writer, child, childPath, cuts, request, state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hardlink groups of one directory: inode id → (group number, members here).</summary>
    private static Dictionary<long, (uint Group, uint Count)>? HardlinkGroups(FsNode directory, CatalogState state)
    {
        Dictionary<long, uint>? counts = null;
        foreach (var child in directory.Children.Values)
        {
            if (child.InodeId != 0 && !child.IsDirectory)
            {
                counts ??= [];
                counts[child.InodeId] = counts.GetValueOrDefault(child.InodeId) + 1;
            }
        }

        if (counts is null)
        {
            return null;
        }

        Dictionary<long, (uint, uint)>? groups = null;
        foreach (var (inode, count) in counts.OrderBy(c => c.Key))
        {
            if (count > 1)
            {
                groups ??= [];
                groups[inode] = (state.NextGroup++, count);
            }
        }

        return groups;
    }

    private static long DirectoryLinkCount(FsNode directory) =>
        directory.Mount is not null && !directory.HasChildren
            ? directory.LinkCountHint
            : 2 + (directory.HasChildren ? directory.Children.Values.Count(c => c.IsDirectory) : 0);

    internal static CatalogEntry Row(FsNode node, string path, PathKey parentKey, EntryFlags directoryFlags, long hardlinks)
    {
        EntryFlags flags;
        long size;
        ContentHash? hash = null;
        var symlink = string.Empty;
        switch (node.Type)
        {
            case FsNodeType.Directory:
                flags = directoryFlags;
                size = 4096;
                break;
            case FsNodeType.File:
                var content = node.Content ?? throw new InvalidOperationException($"File '{path}' has no content.");
                flags = content.Flags;
                hash = content.Hash;
                size = node.Size;
                break;
            case FsNodeType.Symlink:
                flags = EntryFlags.File | EntryFlags.Link;
                symlink = node.Symlink ?? string.Empty;
                size = Encoding.UTF8.GetByteCount(symlink);
                break;
            default:
                flags = EntryFlags.File | EntryFlags.FileSpecial;
                size = node.Size;
                break;
        }

        var xattrs = node.Xattrs;
        if (node.Opaque && node.IsDirectory)
        {
            var merged = (xattrs?.Attributes ?? []).Where(a => a.Key != "trusted.overlay.opaque").ToList();
            merged.Add(new KeyValuePair<string, byte[]>("trusted.overlay.opaque", OpaqueValue));
            xattrs = ExtendedAttributes.Create(merged);
        }

        return new CatalogEntry
        {
            Key = PathKey.ForPath(path),
            ParentKey = parentKey,
            Hardlinks = hardlinks,
            ContentHash = hash,
            Size = size,
            Mode = node.Mode,
            Mtime = node.Mtime,
            Flags = flags,
            Name = path.Length == 0 ? string.Empty : node.Name,
            Symlink = symlink,
            Uid = node.Uid,
            Gid = node.Gid,
            Xattrs = xattrs is { Count: > 0 } ? xattrs : null,
        };
    }

    internal static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? string.Empty : path[..slash];
    }

    private static void AddProperties(string file, IReadOnlyDictionary<string, string> properties)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        foreach (var (key, value) in properties)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO properties (key, value) VALUES ($k, $v)";
            command.Parameters.AddWithValue("$k", key);
            command.Parameters.AddWithValue("$v", value);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private sealed class CatalogState(CatalogCounters @base)
    {
        public CatalogCounters Base { get; } = @base;

        public bool BaseApplied { get; set; }

        public uint NextGroup { get; set; } = 1;

        public int Catalogs { get; set; } = 1;
    }
}
