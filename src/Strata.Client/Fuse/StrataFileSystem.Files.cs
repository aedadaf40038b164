using Strata.Client.Repository;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>OPEN, READ, RELEASE.</summary>
internal sealed partial class StrataFileSystem
{
    private const uint KeepCache = 1 << 1;
    private const int MaxRead = 1024 * 1024;

    private async Task OpenAsync(FuseRequest request)
    {
        var node = NodeOf(request);
        if (node.Entry.Kind != EntryKind.File)
        {
            Session.ReplyError(request.Unique, node.Entry.Kind == EntryKind.Directory ? Errno.EIsDir : Errno.EInval);
            return;
        }

        var flags = request.U32(0);
        if ((flags & 3) != 0)
        {
            Session.ReplyError(request.Unique, Errno.ERoFs);
            return;
        }

        var content = await OpenContentAsync(node).ConfigureAwait(false);
        var handle = (ulong)Interlocked.Increment(ref _nextHandle);
        _files[handle] = content;
        var reply = new byte[FuseSession.OutHeaderSize + 16];
        var writer = new ReplyWriter(reply);
        writer.U64(handle);

        // The node's content never changes (a changed file gets a new inode), so the page cache stays valid across opens.
        writer.U32(KeepCache);
        writer.U32(0);
        Session.Reply(request.Unique, reply, writer.Position);
    }

    private async Task<FileContent> OpenContentAsync(FsNode node)
    {
        var view = node.View;
        var entry = node.Entry;
        if (!view.TryAddReference())
        {
            // The node's revision is closed (nothing of it was open): the same file in the current revision.
            view = await _client.AcquireRevisionAsync(CancellationToken.None).ConfigureAwait(false);
            RepositoryEntry? current;
            try
            {
                current = await view.Reader.LookupAsync(node.Path, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                await view.ReleaseAsync().ConfigureAwait(false);
                throw;
            }

            if (current is null || NodeTable.KeyOf(current) != node.Key)
            {
                await view.ReleaseAsync().ConfigureAwait(false);
                throw new Strata.Cvmfs.CvmfsNotFoundException(node.Path);
            }

            entry = current;
        }

        try
        {
            return await _client.OpenFileAsync(view, entry, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await view.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadAsync(FuseRequest request)
    {
        var handle = request.U64(0);
        var offset = (long)request.U64(8);
        var size = (int)Math.Min(request.U32(16), MaxRead);
        if (!_files.TryGetValue(handle, out var content))
        {
            Session.ReplyError(request.Unique, Errno.EBadF);
            return;
        }

        var buffer = FuseSession.Rent(FuseSession.OutHeaderSize + size);
        try
        {
            var n = await content.ReadAsync(offset, buffer.AsMemory(FuseSession.OutHeaderSize, size), CancellationToken.None).ConfigureAwait(false);
            Session.Reply(request.Unique, buffer, FuseSession.OutHeaderSize + n);
        }
        finally
        {
            FuseSession.Return(buffer);
        }
    }

    private async Task ReleaseAsync(FuseRequest request)
    {
        if (_files.TryRemove(request.U64(0), out var content))
        {
            await content.DisposeAsync().ConfigureAwait(false);
        }

        Session.ReplyError(request.Unique, 0);
    }
}
