namespace Strata.Storage.Tests.Support;

/// <summary>
/// Serves a first part, then signals <see cref="FirstPartServed"/> and waits for <see cref="Release"/>
/// before serving the rest, so a test can look at the store while a write is half done.
/// </summary>
public sealed class GatedStream(byte[] first, byte[] rest) : Stream
{
    private readonly TaskCompletionSource _firstPartServed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    /// <summary>Completes once every byte of the first part has been read.</summary>
    public Task FirstPartServed => _firstPartServed.Task;

    public void Release() => _released.TrySetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == first.Length)
        {
            _firstPartServed.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var (source, start) = _position < first.Length ? (first, _position) : (rest, _position - first.Length);
        var n = Math.Min(buffer.Length, source.Length - start);
        source.AsSpan(start, n).CopyTo(buffer.Span);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
