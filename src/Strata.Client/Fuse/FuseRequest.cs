using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Strata.Client.Fuse;

/// <summary>One request read from /dev/fuse: the <c>fuse_in_header</c> fields and the body after it.</summary>
internal sealed class FuseRequest : IDisposable
{
    public const int HeaderSize = 40;
    private byte[]? _buffer;

    public FuseRequest(ReadOnlySpan<byte> raw)
    {
        Opcode = (FuseOpcode)BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]);
        Unique = BinaryPrimitives.ReadUInt64LittleEndian(raw[8..]);
        NodeId = BinaryPrimitives.ReadUInt64LittleEndian(raw[16..]);
        Uid = BinaryPrimitives.ReadUInt32LittleEndian(raw[24..]);
        Gid = BinaryPrimitives.ReadUInt32LittleEndian(raw[28..]);
        Pid = BinaryPrimitives.ReadUInt32LittleEndian(raw[32..]);
        BodyLength = raw.Length - HeaderSize;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BodyLength, 1));
        raw[HeaderSize..].CopyTo(_buffer);
    }

    public FuseOpcode Opcode { get; }

    public ulong Unique { get; }

    public ulong NodeId { get; }

    public uint Uid { get; }

    public uint Gid { get; }

    public uint Pid { get; }

    public int BodyLength { get; }

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(0, BodyLength);

    public uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Body[offset..]);

    public ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(Body[offset..]);

    /// <summary>A NUL-terminated name starting at <paramref name="offset"/> of the body.</summary>
    public string Name(int offset)
    {
        var rest = Body[offset..];
        var end = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
