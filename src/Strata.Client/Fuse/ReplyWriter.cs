using System.Buffers.Binary;

namespace Strata.Client.Fuse;

/// <summary>Writes little-endian reply structures into a buffer, leaving room for the 16-byte <c>fuse_out_header</c>.</summary>
internal ref struct ReplyWriter
{
    private readonly Span<byte> _buffer;

    public ReplyWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Position = FuseSession.OutHeaderSize;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _buffer.Length - Position;

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[Position..], value);
        Position += 2;
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[Position..], value);
        Position += 4;
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[Position..], value);
        Position += 8;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[Position..]);
        Position += value.Length;
    }

    public void Zeros(int count)
    {
        _buffer.Slice(Position, count).Clear();
        Position += count;
    }

    public void Align8()
    {
        var aligned = (Position + 7) & ~7;
        Zeros(aligned - Position);
    }
}
