using System.Text;
using Strata.Client.Fuse;
using Strata.Client.Repository;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Checkout;

/// <summary>
/// Materializes one tree of a repository into a plain directory (for runtimes that need one), with
/// file content from the shared cache. Safe against hostile catalogs: every name is checked to be
/// a single path component, nothing is created where something already exists, files are created
/// with O_EXCL (never opened through a symlink), and symlinks are written as links, never followed.
/// </summary>
public sealed class TreeCheckout
{
    private const int MaxSymlinkHops = 40;
    private readonly RepositoryClient _client;
    private readonly bool _asRoot = LibC.GetUid() == 0;
    private readonly Dictionary<string, string> _hardlinks = new(StringComparer.Ordinal);
    private long _directories;
    private long _files;
    private long _symlinks;
    private long _linked;
    private long _bytes;
    private long _skipped;

    public TreeCheckout(RepositoryClient client) => _client = client;

    /// <summary>Copies the tree at <paramref name="repositoryPath"/> into <paramref name="destination"/> (which must not exist or be empty).</summary>
    public async Task<CheckoutResult> RunAsync(string repositoryPath, string destination, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(destination);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"{target} is not empty.");
        }

        var view = await _client.AcquireRevisionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var root = await ResolveAsync(view, repositoryPath, cancellationToken).ConfigureAwait(false);
            if (root.Kind != EntryKind.Directory)
            {
                throw new IOException($"{repositoryPath} is not a directory.");
            }

            Directory.CreateDirectory(target);
            await CopyDirectoryAsync(view, root, target, cancellationToken).ConfigureAwait(false);
            return new CheckoutResult(_directories, _files, _symlinks, _linked, _bytes, _skipped);
        }
        finally
        {
            await view.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Resolves symlinks in the requested path inside the repository only (an image tag is usually a symlink).</summary>
    private async Task<RepositoryEntry> ResolveAsync(RevisionView view, string path, CancellationToken cancellationToken)
    {
        var current = Normalize(path) ?? throw new IOException($"{path} leaves the repository.");
        for (var hop = 0; hop <= MaxSymlinkHops; hop++)
        {
            var entry = await view.Reader.LookupAsync(current, cancellationToken).ConfigureAwait(false)
                ?? throw new Strata.Cvmfs.CvmfsNotFoundException(current);
            if (entry.Kind != EntryKind.Symlink)
            {
                return entry;
            }

            var link = entry.SymlinkTarget!;
            var prefix = "/cvmfs/" + _client.Fqrn;
            string next;
            if (link.StartsWith('/'))
            {
                if (link != prefix && !link.StartsWith(prefix + "/", StringComparison.Ordinal))
                {
                    throw new IOException($"{current} points outside the repository ({link}).");
                }

                next = link[prefix.Length..];
            }
            else
            {
                next = current[..current.LastIndexOf('/')] + "/" + link;
            }

            current = Normalize(next) ?? throw new IOException($"{current} points outside the repository ({link}).");
        }

        throw new IOException($"Too many symbolic links in {path}.");
    }

    private async Task CopyDirectoryAsync(RevisionView view, RepositoryEntry directory, string target, CancellationToken cancellationToken)
    {
        _directories++;
        foreach (var entry in await view.Reader.ListAsync(directory.Path, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsSafeName(entry.Name))
            {
                throw new IOException($"Refusing entry name '{entry.Name}' in {directory.Path}.");
            }

            var path = Path.Join(target, entry.Name);
            if (Occupied(path))
            {
                throw new IOException($"{path} exists already (duplicate entry in the catalog?).");
            }

            switch (entry.Kind)
            {
                case EntryKind.Directory:
                    // A nested catalog's mount point is listed from the parent catalog: look it up for its root row.
                    var resolved = entry.Row.IsNestedMountpoint ? await view.Reader.LookupAsync(entry.Path, cancellationToken).ConfigureAwait(false) ?? entry : entry;
                    Directory.CreateDirectory(path);
                    await CopyDirectoryAsync(view, resolved, path, cancellationToken).ConfigureAwait(false);
                    break;
                case EntryKind.File:
                    await CopyFileAsync(view, entry, path, cancellationToken).ConfigureAwait(false);
                    break;
                case EntryKind.Symlink:
                    File.CreateSymbolicLink(path, entry.SymlinkTarget!);
                    Own(path, entry);

                    // AT_FDCWD, AT_SYMLINK_NOFOLLOW: the link's own times, never its target's.
                    _ = LibC.UtimensAt(-100, path, [entry.Row.Mtime, 0, entry.Row.Mtime, 0], 0x100);
                    _symlinks++;
                    break;
                default:
                    _skipped++;
                    break;
            }
        }

        // Metadata last: writing children changes the mtime, and a read-only directory would refuse them.
        Finish(target, directory);
    }

    private async Task CopyFileAsync(RevisionView view, RepositoryEntry entry, string path, CancellationToken cancellationToken)
    {
        if (entry.Row.HardlinkGroup != 0)
        {
            var key = $"{entry.CatalogMountpoint}\0{Path.GetDirectoryName(path)}\0{entry.Row.HardlinkGroup}";
            if (_hardlinks.TryGetValue(key, out var first) && LibC.Link(first, path) == 0)
            {
                _linked++;
                return;
            }

            _hardlinks[key] = path;
        }

        var content = await _client.OpenFileAsync(view, entry, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            // CreateNew is O_CREAT|O_EXCL: it never opens through a symlink planted at the name.
            var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[1024 * 1024];
                long offset = 0;
                while (offset < content.Length)
                {
                    var n = await content.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    offset += n;
                }

                _bytes += offset;
            }
        }

        Finish(path, entry);
        _files++;
    }

    private void Finish(string path, RepositoryEntry entry)
    {
        // Owner before mode: chown clears setuid/setgid bits.
        Own(path, entry);
        foreach (var (name, value) in entry.Xattrs?.Attributes ?? [])
        {
            // Best effort: security.* needs root, and some file systems take no user.* attributes.
            _ = LibC.LSetXattr(path, name, value, value.Length, 0);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(entry.Row.Mode & 0xFFF));
        }

        var mtime = DateTimeOffset.FromUnixTimeSeconds(entry.Row.Mtime).UtcDateTime;
        if (entry.Kind == EntryKind.Directory)
        {
            Directory.SetLastWriteTimeUtc(path, mtime);
        }
        else
        {
            File.SetLastWriteTimeUtc(path, mtime);
        }
    }

    private void Own(string path, RepositoryEntry entry)
    {
        if (_asRoot)
        {
            _ = LibC.LChown(path, (uint)entry.Row.Uid, (uint)entry.Row.Gid);
        }
    }

    /// <summary>True when anything is at <paramref name="path"/>, a dangling symlink included (lstat, not stat).</summary>
    private static bool Occupied(string path)
    {
        var info = new FileInfo(path);
        return info.Exists || Directory.Exists(path) || ((int)info.Attributes != -1 && info.Attributes.HasFlag(FileAttributes.ReparsePoint));
    }

    private static bool IsSafeName(string name) =>
        name.Length > 0 && name is not "." and not ".." && !name.Contains('/') && !name.Contains('\0') && Encoding.UTF8.GetByteCount(name) <= 255;

    /// <summary>Lexically normalizes a repository path; null when ".." would climb above the root.</summary>
    private static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
