namespace Strata.Cvmfs.Objects;

/// <summary>
/// A read-only wrapper that refuses to yield more than <c>maxBytes</c> (compression-bomb and
/// runaway-server protection) and, when an exact size is expected, fails at end of stream if fewer
/// bytes came. Reads one byte past the limit to tell "exactly at the limit" from "over it".
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _maxBytes;
    private readonly long? _exactBytes;
    private readonly bool _leaveOpen;
    private readonly string _what;
    private long _position;

    public BoundedReadStream(Stream inner, long maxBytes, long? exactBytes, string what, bool leaveOpen = false)
    {
        _inner = inner;
        _maxBytes = exactBytes ?? maxBytes;
        _exactBytes = exactBytes;
        _what = what;
        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _exactBytes ?? throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var n = _inner.Read(Clamp(buffer));
        return Account(n, buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var n = await _inner.ReadAsync(Clamp(buffer), cancellationToken).ConfigureAwait(false);
        return Account(n, buffer.Length);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_leaveOpen)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private Span<byte> Clamp(Span<byte> buffer) => buffer[..ClampLength(buffer.Length)];

    private Memory<byte> Clamp(Memory<byte> buffer) => buffer[..ClampLength(buffer.Length)];

    // Allow one byte beyond the limit so that overflow is detected rather than silently truncated.
    private int ClampLength(int length) => (int)Math.Min(length, _maxBytes - _position + 1);

    private int Account(int n, int requested)
    {
        _position += n;
        if (_position > _maxBytes)
        {
            throw _exactBytes is null
                ? new CvmfsVerificationException(VerificationFailure.SizeLimitExceeded, $"{_what} exceeds the limit of {_maxBytes} bytes.")
                : new CvmfsVerificationException(VerificationFailure.SizeMismatch, $"{_what} is longer than the expected {_exactBytes} bytes.");
        }

        if (n == 0 && requested > 0 && _exactBytes is long exact && _position != exact)
        {
            throw new CvmfsVerificationException(VerificationFailure.SizeMismatch, $"{_what} has {_position} bytes, expected {exact}.");
        }

        return n;
    }
}
