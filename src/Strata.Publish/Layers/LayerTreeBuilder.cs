using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Writing;
using Strata.Publish.Trees;

namespace Strata.Publish.Layers;

/// <summary>
/// Turns a layer's tar entries into the layer's own tree in overlayfs form, as the CernVM-FS
/// containerd snapshotter mounts <c>layerfs</c> as an overlay lower layer:
/// <list type="bullet">
/// <item><c>.wh.&lt;name&gt;</c> → character device 0/0 named <c>&lt;name&gt;</c>;
/// <c>.wh..wh..opq</c> → <c>trusted.overlay.opaque=y</c> on the directory; other
/// <c>.wh..wh.*</c> names (aufs bookkeeping) are dropped.</item>
/// <item>A whiteout and a real entry of the same name in the same layer: the real entry stays
/// (OCI: whiteouts apply to lower layers only); if it is a directory it becomes opaque, because
/// the lower directory was deleted before this one was created. Entry order does not matter.</item>
/// <item>Later entries replace earlier ones of the same path; a directory entry over a directory
/// only updates its metadata.</item>
/// <item>Hard links copy their target's row and share its inode id (rows are rebuilt into cvmfs
/// hardlink groups per directory when written). The target must be an earlier non-directory
/// entry of the same layer.</item>
/// <item>Missing parent directories are created with mode 0755, owner 0:0 and the mtime of the
/// entry that needed them, and are marked implicit. umoci (<c>MkdirAll(dir, 0777)</c> under the
/// usual 022 umask, as root) gives the same mode and owner but the unpack time as mtime; we use
/// the entry's mtime so a layer always gives the same catalog. Implicit directories never
/// override a lower layer's directory when flattening, as with umoci, which only creates a
/// parent that is missing.</item>
/// </list>
/// </summary>
public sealed class LayerTreeBuilder
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private readonly InodeIds _inodeIds;
    private readonly List<string> _warnings = [];
    private bool _rootExplicit;
    private bool _rootTouched;

    public LayerTreeBuilder(InodeIds inodeIds)
    {
        _inodeIds = inodeIds;
        Root = FsNode.Directory(string.Empty, 0b111_101_101, 0, 0, 0);
        Root.Implicit = true;
    }

    public FsNode Root { get; }

    /// <summary>Things dropped with a reason (xattrs CernVM-FS cannot hold).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Adds one entry; <paramref name="content"/> is the stored content of a regular file.</summary>
    public void Add(LayerEntry entry, StoredFile? content)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_rootTouched)
        {
            _rootTouched = true;
            Root.Mtime = entry.MtimeSeconds;
        }

        if (entry.Path.Length == 0)
        {
            if (entry.Type != LayerEntryType.Directory)
            {
                throw new LayerFormatException("the layer's root entry is not a directory");
            }

            ApplyDirectoryMetadata(Root, entry);
            _rootExplicit = true;
            Root.Implicit = false;
            return;
        }

        var slash = entry.Path.LastIndexOf('/');
        var parent = EnsureDirectory(slash < 0 ? string.Empty : entry.Path[..slash], entry.MtimeSeconds);
        var name = slash < 0 ? entry.Path : entry.Path[(slash + 1)..];
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            AddWhiteout(parent, name, entry);
            return;
        }

        parent.Children.TryGetValue(name, out var existing);
        switch (entry.Type)
        {
            case LayerEntryType.Directory:
                if (existing is { IsDirectory: true })
                {
                    ApplyDirectoryMetadata(existing, entry);
                    existing.Implicit = false;
                    return;
                }

                var directory = FsNode.Directory(name, 0, 0, 0, 0);
                ApplyDirectoryMetadata(directory, entry);
                directory.Opaque = existing?.IsWhiteout == true;
                parent.Children[name] = directory;
                return;
            case LayerEntryType.Hardlink:
                AddHardlink(parent, name, entry);
                return;
            default:
                parent.Children[name] = NewLeaf(name, entry, content);
                return;
        }
    }

    /// <summary>Paths (relative to the layer root, "" for the root) of the directories the layer did not list.</summary>
    public IReadOnlyList<string> ImplicitDirectories()
    {
        var result = new List<string>();
        if (!_rootExplicit)
        {
            result.Add(string.Empty);
        }

        Collect(Root, string.Empty, result);
        return result;

        static void Collect(FsNode directory, string path, List<string> result)
        {
            if (!directory.HasChildren)
            {
                return;
            }

            foreach (var child in directory.Children.Values)
            {
                if (!child.IsDirectory)
                {
                    continue;
                }

                var childPath = path.Length == 0 ? child.Name : path + "/" + child.Name;
                if (child.Implicit)
                {
                    result.Add(childPath);
                }

                Collect(child, childPath, result);
            }
        }
    }

    private void AddWhiteout(FsNode parent, string name, LayerEntry entry)
    {
        if (name == OpaqueMarker)
        {
            parent.Opaque = true;
            return;
        }

        if (name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not part of the image, as containerd treats it.
            return;
        }

        var target = name[WhiteoutPrefix.Length..];
        if (target.Length == 0 || target is "." or "..")
        {
            throw new LayerFormatException($"invalid whiteout entry '{entry.Path}'");
        }

        if (parent.Children.TryGetValue(target, out var existing) && !existing.IsWhiteout)
        {
            // The layer also has a real entry of that name: it stays; a directory hides what was below.
            if (existing.IsDirectory)
            {
                existing.Opaque = true;
            }

            return;
        }

        parent.Children[target] = new FsNode(target, FsNodeType.Special)
        {
            Mode = UnixMode.CharacterDevice,
            Mtime = entry.MtimeSeconds,
            Size = 0,
        };
    }

    private void AddHardlink(FsNode parent, string name, LayerEntry entry)
    {
        var target = Find(entry.LinkTarget!);
        if (target is null || target.IsWhiteout)
        {
            throw new LayerFormatException($"hardlink '{entry.Path}' points to '{entry.LinkTarget}', which is not an earlier entry of this layer");
        }

        if (target.IsDirectory)
        {
            throw new LayerFormatException($"hardlink '{entry.Path}' points to a directory");
        }

        if (ReferenceEquals(parent.Children.GetValueOrDefault(name), target))
        {
            return;
        }

        if (target.InodeId == 0)
        {
            target.InodeId = _inodeIds.Next();
        }

        parent.Children[name] = target.CloneAttributes(name);
    }

    private FsNode NewLeaf(string name, LayerEntry entry, StoredFile? content)
    {
        var node = entry.Type switch
        {
            LayerEntryType.File => new FsNode(name, FsNodeType.File)
            {
                Mode = UnixMode.Regular,
                Size = content?.Size ?? throw new InvalidOperationException("A regular file needs its stored content."),
                Content = new FileContent(content.Hash, content.Chunks, content.Flags),
            },
            LayerEntryType.Symlink => new FsNode(name, FsNodeType.Symlink) { Mode = UnixMode.Symlink, Symlink = entry.LinkTarget },
            LayerEntryType.CharacterDevice => new FsNode(name, FsNodeType.Special) { Mode = UnixMode.CharacterDevice, Size = UnixMode.MakeDevice(entry.DeviceMajor, entry.DeviceMinor) },
            LayerEntryType.BlockDevice => new FsNode(name, FsNodeType.Special) { Mode = UnixMode.BlockDevice, Size = UnixMode.MakeDevice(entry.DeviceMajor, entry.DeviceMinor) },
            LayerEntryType.Fifo => new FsNode(name, FsNodeType.Special) { Mode = UnixMode.Fifo },
            _ => throw new LayerFormatException($"unsupported entry type {entry.Type} at '{entry.Path}'"),
        };
        node.Mode |= (uint)entry.Mode & 0xFFF;
        node.Uid = entry.Uid;
        node.Gid = entry.Gid;
        node.Mtime = entry.MtimeSeconds;
        node.Xattrs = ToXattrs(entry);
        return node;
    }

    private void ApplyDirectoryMetadata(FsNode directory, LayerEntry entry)
    {
        directory.Mode = UnixMode.Directory | ((uint)entry.Mode & 0xFFF);
        directory.Uid = entry.Uid;
        directory.Gid = entry.Gid;
        directory.Mtime = entry.MtimeSeconds;
        directory.Xattrs = ToXattrs(entry);
    }

    private ExtendedAttributes? ToXattrs(LayerEntry entry)
    {
        if (entry.Xattrs is not { Count: > 0 } xattrs)
        {
            return null;
        }

        // cvmfs stores names and values of at most 255 bytes, at most 255 per entry.
        var kept = new List<KeyValuePair<string, byte[]>>();
        foreach (var (key, value) in xattrs)
        {
            var keyBytes = System.Text.Encoding.UTF8.GetByteCount(key);
            if (keyBytes is 0 or > 255 || value.Length > 255 || kept.Count == 255)
            {
                _warnings.Add($"'{entry.Path}': extended attribute '{key}' dropped (CernVM-FS holds at most 255 attributes of at most 255-byte names and values)");
                continue;
            }

            kept.Add(new(key, value));
        }

        return kept.Count == 0 ? null : ExtendedAttributes.Create(kept);
    }

    private FsNode EnsureDirectory(string path, long mtime)
    {
        var current = Root;
        if (path.Length == 0)
        {
            return current;
        }

        foreach (var part in path.Split('/'))
        {
            if (current.Children.TryGetValue(part, out var next))
            {
                if (next.IsDirectory)
                {
                    current = next;
                    continue;
                }

                if (!next.IsWhiteout)
                {
                    throw new LayerFormatException($"'{path}' lies below '{part}', which the layer made a {next.Type.ToString().ToLowerInvariant()}, not a directory");
                }
            }

            var created = FsNode.Directory(part, 0b111_101_101, 0, 0, mtime);
            created.Implicit = true;

            // Replacing a whiteout of the same name: the lower directory is gone, this one starts empty.
            created.Opaque = next?.IsWhiteout == true;
            current.Children[part] = created;
            current = created;
        }

        return current;
    }

    private FsNode? Find(string path)
    {
        var current = Root;
        foreach (var part in path.Split('/'))
        {
            if (!current.IsDirectory || !current.Children.TryGetValue(part, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }
}
