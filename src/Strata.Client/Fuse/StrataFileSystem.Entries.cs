using System.Text;
using Strata.Cvmfs.Catalogs;

namespace Strata.Client.Fuse;

/// <summary>LOOKUP, GETATTR, READLINK.</summary>
internal sealed partial class StrataFileSystem
{
    private const int NameMax = 255;

    private async Task LookupAsync(FuseRequest request)
    {
        var parent = NodeOf(request);
        var name = request.Name(0);
        if (Encoding.UTF8.GetByteCount(name) > NameMax)
        {
            Session.ReplyError(request.Unique, 36 /* ENAMETOOLONG */);
            return;
        }

        if (parent.Entry.Kind != EntryKind.Directory)
        {
            Session.ReplyError(request.Unique, Errno.ENotDir);
            return;
        }

        var view = await _client.AcquireRevisionAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var path = parent.Path == "/" ? "/" + name : parent.Path + "/" + name;
            var entry = name is "." or ".." ? null : await view.Reader.LookupAsync(path, CancellationToken.None).ConfigureAwait(false);
            var reply = new byte[FuseSession.OutHeaderSize + FuseAttributes.EntryOutSize];
            var writer = new ReplyWriter(reply);
            if (entry is null)
            {
                // A negative entry the kernel may cache as long as a positive one (nodeid 0).
                FuseAttributes.WriteEntryOut(ref writer, 0, null, Timeout);
            }
            else
            {
                var node = _nodes.Acquire(entry, view);
                FuseAttributes.WriteEntryOut(ref writer, node.Id, entry, Timeout);
            }

            Session.Reply(request.Unique, reply, writer.Position);
        }
        finally
        {
            await view.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async Task GetAttrAsync(FuseRequest request)
    {
        var node = NodeOf(request);

        // A directory keeps its inode across revisions: show the current revision's attributes.
        if (node.Entry.Kind == EntryKind.Directory && !ReferenceEquals(node.View, _client.Current))
        {
            var view = await _client.AcquireRevisionAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var fresh = await view.Reader.LookupAsync(node.Path, CancellationToken.None).ConfigureAwait(false);
                if (fresh is not null && fresh.Kind == EntryKind.Directory)
                {
                    node.Entry = fresh;
                    node.View = view;
                }
            }
            finally
            {
                await view.ReleaseAsync().ConfigureAwait(false);
            }
        }

        var reply = new byte[FuseSession.OutHeaderSize + 16 + FuseAttributes.AttrSize];
        var writer = new ReplyWriter(reply);
        writer.U64((ulong)Timeout.TotalSeconds);
        writer.U32((uint)((Timeout.Ticks % TimeSpan.TicksPerSecond) * 100));
        writer.U32(0);
        FuseAttributes.WriteAttr(ref writer, node.Id, node.Entry);
        Session.Reply(request.Unique, reply, writer.Position);
    }

    private void ReadLink(FuseRequest request)
    {
        var node = NodeOf(request);
        if (node.Entry.SymlinkTarget is not { } target)
        {
            Session.ReplyError(request.Unique, Errno.EInval);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(target);
        var reply = new byte[FuseSession.OutHeaderSize + bytes.Length];
        bytes.CopyTo(reply, FuseSession.OutHeaderSize);
        Session.Reply(request.Unique, reply, reply.Length);
    }
}
