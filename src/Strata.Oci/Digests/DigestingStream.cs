namespace Strata.Oci.Digests;

/// <summary>
/// A read-only pass-through stream that hashes every byte read from the inner stream and counts
/// them, so data is hashed while it is written elsewhere and never re-read to be verified.
/// </summary>
public sealed class DigestingStream : Stream
{
    private readonly Stream _inner;
    private readonly System.Security.Cryptography.IncrementalHash _hash;
    private readonly long _limit;

    /// <param name="inner">Source stream.</param>
    /// <param name="hash">Hash to append to (owned by the caller, may already hold earlier data).</param>
    /// <param name="limit">Reading more than this many bytes throws <see cref="InvalidDataException"/>.</param>
    public DigestingStream(Stream inner, System.Security.Cryptography.IncrementalHash hash, long limit = long.MaxValue)
    {
        _inner = inner;
        _hash = hash;
        _limit = limit;
    }

    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Account(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..n]);
        return n;
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        if (BytesRead > _limit)
        {
            throw new InvalidDataException($"stream exceeds the limit of {_limit} bytes");
        }

        _hash.AppendData(data);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
