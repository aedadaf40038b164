using System.Text;
using Strata.Client.Repository;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>OPENDIR, READDIR, READDIRPLUS, RELEASEDIR.</summary>
internal sealed partial class StrataFileSystem
{
    private const int DirentHeader = 24;
    private const uint CacheDir = 1 << 3;

    private async Task OpenDirAsync(FuseRequest request)
    {
        var node = NodeOf(request);
        if (node.Entry.Kind != EntryKind.Directory)
        {
            Session.ReplyError(request.Unique, Errno.ENotDir);
            return;
        }

        var view = await _client.AcquireRevisionAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var entries = await view.Reader.ListAsync(node.Path, CancellationToken.None).ConfigureAwait(false);
            var handle = (ulong)Interlocked.Increment(ref _nextHandle);
            _directories[handle] = new DirectoryListing(node, entries, view);
            var reply = new byte[FuseSession.OutHeaderSize + 16];
            var writer = new ReplyWriter(reply);
            writer.U64(handle);
            writer.U32(ListingCacheFlags(node, view));
            writer.U32(0);
            Session.Reply(request.Unique, reply, writer.Position);
        }
        finally
        {
            await view.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A revision is immutable, so the kernel may keep a directory's listing (FOPEN_CACHE_DIR) and
    /// reuse it on the next open (FOPEN_KEEP_CACHE) while the revision stays the same: a second
    /// <c>find</c> then costs an OPENDIR and a RELEASEDIR per directory instead of a READDIRPLUS
    /// walk. A directory keeps its inode across revisions, so the first open in a new revision
    /// leaves out FOPEN_KEEP_CACHE and the kernel drops the old listing before reading the new one.
    /// An open that still lists a revision already replaced gets no caching at all, so it cannot
    /// fill the kernel's cache with the old listing after a newer open emptied it.
    /// </summary>
    private uint ListingCacheFlags(FsNode directory, RevisionView view)
    {
        if (!ReferenceEquals(view, _client.Current))
        {
            return 0;
        }

        return directory.SwapCachedListing(view) ? CacheDir | KeepCache : CacheDir;
    }

    private void ReadDir(FuseRequest request, bool plus)
    {
        var handle = request.U64(0);
        var offset = (long)request.U64(8);
        var size = (int)Math.Min(request.U32(16), MaxRead);
        if (!_directories.TryGetValue(handle, out var listing))
        {
            Session.ReplyError(request.Unique, Errno.EBadF);
            return;
        }

        var buffer = FuseSession.Rent(FuseSession.OutHeaderSize + size);
        try
        {
            var writer = new ReplyWriter(buffer.AsSpan(0, FuseSession.OutHeaderSize + size));

            // Offsets: 0 ".", 1 "..", then 2 + i for the i-th entry; each dirent carries the offset of the next.
            for (var index = offset; index < listing.Entries.Count + 2; index++)
            {
                RepositoryEntry? entry = index >= 2 ? listing.Entries[(int)(index - 2)] : null;
                var name = index switch { 0 => ".", 1 => "..", _ => entry!.Name };
                var nameBytes = Encoding.UTF8.GetBytes(name);
                var record = (DirentHeader + nameBytes.Length + 7) & ~7;
                if (plus)
                {
                    record += FuseAttributes.EntryOutSize;
                }

                if (record > writer.Remaining)
                {
                    break;
                }

                var mode = entry?.Mode ?? 0x4000u;
                ulong ino;
                if (plus)
                {
                    // A nested catalog's mount point is listed from the parent catalog: let the kernel
                    // LOOKUP it (nodeid 0) rather than mount the nested catalog just to list.
                    if (entry is not null && !entry.Row.IsNestedMountpoint)
                    {
                        var node = _nodes.Acquire(entry, listing.View);
                        FuseAttributes.WriteEntryOut(ref writer, node.Id, entry, Timeout);
                        ino = node.Id;
                    }
                    else
                    {
                        ino = entry is null ? listing.Directory.Id : _nodes.PeekId(entry);
                        FuseAttributes.WriteEntryOut(ref writer, 0, null, TimeSpan.Zero);
                    }
                }
                else
                {
                    ino = entry is null ? listing.Directory.Id : _nodes.PeekId(entry);
                }

                writer.U64(ino);
                writer.U64((ulong)(index + 1));
                writer.U32((uint)nameBytes.Length);
                writer.U32((mode >> 12) & 0xF);
                writer.Bytes(nameBytes);
                writer.Align8();
            }

            Session.Reply(request.Unique, buffer, writer.Position);
        }
        finally
        {
            FuseSession.Return(buffer);
        }
    }

    private void ReleaseDir(FuseRequest request)
    {
        _directories.TryRemove(request.U64(0), out _);
        Session.ReplyError(request.Unique, 0);
    }
}
