using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Fuse;

/// <summary>Writes <c>fuse_attr</c> and <c>fuse_entry_out</c> for catalog entries, with stat fields exactly as stored.</summary>
internal static class FuseAttributes
{
    public const int AttrSize = 88;
    public const int EntryOutSize = 40 + AttrSize;

    public static void WriteAttr(ref ReplyWriter writer, ulong ino, RepositoryEntry entry)
    {
        var row = entry.Row;
        var special = entry.Kind == EntryKind.Special;
        var size = special ? 0 : entry.Size;
        var mtime = (ulong)row.Mtime;
        var nanoseconds = (uint)Math.Max(0, row.MtimeNanoseconds ?? 0);
        writer.U64(ino);
        writer.U64((ulong)size);
        writer.U64((ulong)((size + 511) / 512));
        writer.U64(mtime);
        writer.U64(mtime);
        writer.U64(mtime);
        writer.U32(nanoseconds);
        writer.U32(nanoseconds);
        writer.U32(nanoseconds);
        writer.U32(row.Mode);
        writer.U32(Math.Max(1u, row.LinkCount));
        writer.U32((uint)row.Uid);
        writer.U32((uint)row.Gid);

        // cvmfs keeps a device node's number in the size column.
        writer.U32(special ? (uint)row.Size : 0);
        writer.U32(4096);
        writer.U32(0);
    }

    public static void WriteEntryOut(ref ReplyWriter writer, ulong nodeId, RepositoryEntry? entry, TimeSpan timeout)
    {
        var seconds = (ulong)timeout.TotalSeconds;
        var nanoseconds = (uint)((timeout.Ticks % TimeSpan.TicksPerSecond) * 100);
        writer.U64(nodeId);
        writer.U64(nodeId == 0 ? 0UL : 1UL);
        writer.U64(seconds);
        writer.U64(seconds);
        writer.U32(nanoseconds);
        writer.U32(nanoseconds);
        if (entry is null)
        {
            writer.Zeros(AttrSize);
        }
        else
        {
            WriteAttr(ref writer, nodeId, entry);
        }
    }
}
