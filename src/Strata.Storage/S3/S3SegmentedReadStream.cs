using Amazon.S3.Model;

namespace Strata.Storage.S3;

/// <summary>
/// Reads a chain from an offset: one ranged GET per segment, opened when the previous one is
/// exhausted, so at most one response is open. Each GET asks for exactly the bytes the segment
/// had when the chain was resolved; a segment replaced meanwhile (a small last segment merged by
/// a later writer) starts with the same bytes, so the result is still what was committed then.
/// </summary>
internal sealed class S3SegmentedReadStream(S3BlobDriver driver, IReadOnlyList<S3Segment> segments, long offset) : Stream
{
    private long _position = offset;
    private int _index = -1;
    private GetObjectResponse? _current;
    private long _currentEnd;
    private bool _disposed;

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0)
        {
            return 0;
        }

        while (true)
        {
            if (_current is null && !await OpenNextAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            var wanted = (int)Math.Min(buffer.Length, _currentEnd - _position);
            var read = await _current!.ResponseStream.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                _position += read;
                if (_position == _currentEnd)
                {
                    CloseCurrent();
                }

                return read;
            }

            throw new IOException($"s3: segment '{segments[_index].Key}' ended at {_position - segments[_index].Offset} of {segments[_index].Size} bytes");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            CloseCurrent();
        }

        base.Dispose(disposing);
    }

    /// <summary>Opens the segment holding the current position; false at the end of the chain.</summary>
    private async Task<bool> OpenNextAsync(CancellationToken cancellationToken)
    {
        while (++_index < segments.Count)
        {
            var segment = segments[_index];
            if (_position >= segment.End)
            {
                continue;
            }

            _current = await driver.GetRangeAsync(segment.Key, _position - segment.Offset, segment.Size - 1, cancellationToken).ConfigureAwait(false);
            _currentEnd = segment.End;
            return true;
        }

        return false;
    }

    private void CloseCurrent()
    {
        _current?.Dispose();
        _current = null;
    }
}
