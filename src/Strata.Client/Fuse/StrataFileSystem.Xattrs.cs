using System.Text;
using Strata.Client.Repository;

namespace Strata.Client.Fuse;

/// <summary>GETXATTR, LISTXATTR: the stored attributes, plus cvmfs-style virtual ones.</summary>
internal sealed partial class StrataFileSystem
{
    private async Task GetXattrAsync(FuseRequest request)
    {
        var node = NodeOf(request);
        var size = request.U32(0);
        var name = request.Name(8);
        byte[]? value = node.Entry.Xattrs?.Get(name);
        if (value is null && RepositoryClient.MagicAttributeNames.Contains(name))
        {
            var view = node.View.TryAddReference() ? node.View : await _client.AcquireRevisionAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var text = await _client.GetMagicAttributeAsync(view, node.Entry, name, CancellationToken.None).ConfigureAwait(false);
                value = text is null ? null : Encoding.UTF8.GetBytes(text);
            }
            finally
            {
                await view.ReleaseAsync().ConfigureAwait(false);
            }
        }

        if (value is null)
        {
            Session.ReplyError(request.Unique, Errno.ENoData);
            return;
        }

        ReplySized(request, size, value);
    }

    private void ListXattr(FuseRequest request)
    {
        var node = NodeOf(request);
        var size = request.U32(0);
        var names = new MemoryStream();
        foreach (var (key, _) in node.Entry.Xattrs?.Attributes ?? [])
        {
            names.Write(Encoding.UTF8.GetBytes(key));
            names.WriteByte(0);
        }

        if (_options.ListMagicXattrs && node.Id == NodeTable.RootId)
        {
            foreach (var name in RepositoryClient.MagicAttributeNames)
            {
                names.Write(Encoding.UTF8.GetBytes(name));
                names.WriteByte(0);
            }
        }

        ReplySized(request, size, names.ToArray());
    }

    /// <summary>The xattr size protocol: size 0 asks for the length, a too-small buffer is ERANGE.</summary>
    private void ReplySized(FuseRequest request, uint size, byte[] value)
    {
        if (size == 0)
        {
            var reply = new byte[FuseSession.OutHeaderSize + 8];
            var writer = new ReplyWriter(reply);
            writer.U32((uint)value.Length);
            writer.U32(0);
            Session.Reply(request.Unique, reply, writer.Position);
            return;
        }

        if (value.Length > size)
        {
            Session.ReplyError(request.Unique, Errno.ERange);
            return;
        }

        var buffer = new byte[FuseSession.OutHeaderSize + value.Length];
        value.CopyTo(buffer, FuseSession.OutHeaderSize);
        Session.Reply(request.Unique, buffer, buffer.Length);
    }
}
