namespace Strata.Storage.Tests.Support;

/// <summary>
/// A read-only, non-seekable stream of <c>length</c> deterministic pseudo-random bytes, generated
/// on the fly so large-object tests stream without holding the object in memory.
/// </summary>
public sealed class PatternStream(long length, uint seed = 1) : Stream
{
    private uint _state = seed == 0 ? 1u : seed;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    /// <summary>The whole pattern as an array, for small objects.</summary>
    public static byte[] Bytes(int length, uint seed = 1)
    {
        var bytes = new byte[length];
        new PatternStream(length, seed).ReadExactly(bytes);
        return bytes;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < n; i++)
        {
            // xorshift32: cheap, and no two nearby offsets repeat, so a misplaced chunk shows.
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            buffer[i] = (byte)_state;
        }

        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
