using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Strata.Publish.Storage;

/// <summary>
/// The bytes of one object on its way into a filesystem repository (<see cref="DriverObjectSink"/>'s
/// direct path): pooled 64 KiB segments up to a threshold, then the object's own temporary file in
/// <c>data/txn</c>, which is later renamed into place as it is.
/// </summary>
/// <remarks>
/// Why not <see cref="SpoolBuffer"/>: a large object there went to a spool file that was then copied
/// into a second temporary file (every byte written twice, read once), and every spool file was a
/// create plus an unlink. On ext4 without a journal (the test VM) an inode freed in the last ~35 s
/// makes each later file creation in its block group scan past it: after a burst of unlinks a
/// creation cost ten times more CPU (docs/benchmarks.md, "Publication ingest: where the time goes").
/// Small objects stay in memory so that their file is created on a writer thread, not on the
/// thread that decompresses the layer.
/// </remarks>
internal sealed class DirectObjectBuffer : Stream
{
    private const int SegmentSize = 64 * 1024;
    private readonly int _memoryLimit;
    private readonly string _temporaryDirectory;
    private readonly List<byte[]> _segments = [];
    private int _lastSegmentUsed;
    private long _length;
    private SafeFileHandle? _file;
    private long _fileOffset;
    private bool _released;

    public DirectObjectBuffer(int memoryLimit, string temporaryDirectory)
    {
        _memoryLimit = memoryLimit;
        _temporaryDirectory = temporaryDirectory;
    }

    /// <summary>The temporary file holding the object, once it outgrew memory.</summary>
    public string? FilePath { get; private set; }

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
        ObjectDisposedException.ThrowIf(_released, this);
        if (_file is null && _length + buffer.Length > _memoryLimit)
        {
            Spill();
        }

        _length += buffer.Length;
        while (!buffer.IsEmpty)
        {
            if (_segments.Count == 0 || _lastSegmentUsed == SegmentSize)
            {
                if (_file is not null)
                {
                    // On file: the one segment is a write-behind buffer, so small compressor
                    // outputs become 64 KiB writes.
                    FlushSegmentToFile();
                }
                else
                {
                    _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
                    _lastSegmentUsed = 0;
                }
            }

            var take = Math.Min(buffer.Length, SegmentSize - _lastSegmentUsed);
            buffer[..take].CopyTo(_segments[^1].AsSpan(_lastSegmentUsed));
            _lastSegmentUsed += take;
            buffer = buffer[take..];
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Inline: a write is a memcpy or a pwrite into the page cache (see FileSystemBlobWriter).
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes everything to a new file at <paramref name="path"/> (in-memory objects only).</summary>
    public void WriteToNewFile(string path)
    {
        if (_file is not null)
        {
            throw new InvalidOperationException("the object is already in a file");
        }

        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        if (_segments.Count > 0)
        {
            var parts = new ReadOnlyMemory<byte>[_segments.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                parts[i] = _segments[i].AsMemory(0, i == parts.Length - 1 ? _lastSegmentUsed : SegmentSize);
            }

            RandomAccess.Write(handle, parts, 0);
        }
    }

    /// <summary>Ends writing to the temporary file (file objects only); it may then be renamed.</summary>
    public void CloseFile()
    {
        if (_file is null)
        {
            throw new InvalidOperationException("the object is in memory");
        }

        FlushSegmentToFile();
        _file.Dispose();
        _file = null;
    }

    /// <summary>The temporary file was renamed into place: nothing to delete any more.</summary>
    public void FileMoved() => FilePath = null;

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_released)
        {
            _released = true;
            foreach (var segment in _segments)
            {
                ArrayPool<byte>.Shared.Return(segment);
            }

            _segments.Clear();
            _file?.Dispose();
            _file = null;
            if (FilePath is not null)
            {
                File.Delete(FilePath);
                FilePath = null;
            }
        }

        base.Dispose(disposing);
    }

    private void Spill()
    {
        FilePath = Path.Combine(_temporaryDirectory, "obj-" + Guid.NewGuid().ToString("N"));
        _file = File.OpenHandle(FilePath, FileMode.CreateNew, FileAccess.Write);
        for (var i = 0; i < _segments.Count; i++)
        {
            var used = i == _segments.Count - 1 ? _lastSegmentUsed : SegmentSize;
            RandomAccess.Write(_file, _segments[i].AsSpan(0, used), _fileOffset);
            _fileOffset += used;
        }

        // Keep one segment as the write-behind buffer.
        for (var i = 1; i < _segments.Count; i++)
        {
            ArrayPool<byte>.Shared.Return(_segments[i]);
        }

        if (_segments.Count > 1)
        {
            _segments.RemoveRange(1, _segments.Count - 1);
        }

        _lastSegmentUsed = 0;
    }

    private void FlushSegmentToFile()
    {
        if (_segments.Count == 0)
        {
            _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
        }
        else if (_lastSegmentUsed > 0)
        {
            RandomAccess.Write(_file!, _segments[0].AsSpan(0, _lastSegmentUsed), _fileOffset);
            _fileOffset += _lastSegmentUsed;
        }

        _lastSegmentUsed = 0;
    }
}
