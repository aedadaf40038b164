namespace Strata.Publish.Storage;

/// <summary>
/// A write-then-read buffer for one object: memory up to a threshold, then a delete-on-close
/// temporary file, so memory stays bounded however large a chunk is.
/// </summary>
internal sealed class SpoolBuffer : Stream
{
    private readonly int _memoryLimit;
    private readonly string _directory;
    private MemoryStream? _memory = new();
    private FileStream? _file;
    private long _length;

    public SpoolBuffer(int memoryLimit, string directory)
    {
        _memoryLimit = memoryLimit;
        _directory = directory;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        SpillIfNeeded(buffer.Length);
        if (_memory is not null)
        {
            _memory.Write(buffer);
        }
        else
        {
            _file!.Write(buffer);
        }

        _length += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        SpillIfNeeded(buffer.Length);
        if (_memory is not null)
        {
            _memory.Write(buffer.Span);
        }
        else
        {
            await _file!.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends writing; returns a stream over everything written, positioned at 0 (disposing it frees the buffer).</summary>
    public Stream OpenRead()
    {
        if (_memory is not null)
        {
            var memory = _memory;
            _memory = null;
            return new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false);
        }

        _file!.Flush();
        _file.Position = 0;
        var file = _file;
        _file = null;
        return file;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _memory = null;
            _file?.Dispose();
            _file = null;
        }

        base.Dispose(disposing);
    }

    private void SpillIfNeeded(int incoming)
    {
        if (_memory is null || _memory.Length + incoming <= _memoryLimit)
        {
            return;
        }

        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "spool-" + Guid.NewGuid().ToString("N"));
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        _memory.Position = 0;
        _memory.CopyTo(_file);
        _memory = null;
    }
}
