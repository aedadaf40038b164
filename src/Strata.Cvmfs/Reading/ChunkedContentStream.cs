using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reading;

/// <summary>
/// The content of a chunked file: its chunk objects fetched one at a time as the reader reaches them,
/// each verified before any of its bytes are returned. Seekable, so a FUSE read at an offset fetches
/// only the chunk it needs.
/// </summary>
internal sealed class ChunkedContentStream : Stream
{
    private readonly ObjectFetcher _fetcher;
    private readonly IReadOnlyList<ChunkRecord> _chunks;
    private readonly ObjectCompression _compression;
    private readonly long _length;
    private long _position;
    private int _chunkIndex = -1;
    private Stream? _current;

    public ChunkedContentStream(ObjectFetcher fetcher, IReadOnlyList<ChunkRecord> chunks, ObjectCompression compression, long length)
    {
        _fetcher = fetcher;
        _chunks = chunks;
        _compression = compression;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty && _position < _length)
        {
            if (_current is null)
            {
                await OpenChunkAtPositionAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = await _current!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                _position += n;
                return n;
            }

            // The chunk is exhausted (and its exact size checked): move on to the next one.
            await CloseChunkAsync().ConfigureAwait(false);
        }

        return 0;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _current?.Dispose();
            _current = null;
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseChunkAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task OpenChunkAtPositionAsync(CancellationToken cancellationToken)
    {
        _chunkIndex = FindChunk(_position);
        var chunk = _chunks[_chunkIndex];
        var stream = await _fetcher.OpenAsync(new ObjectId(chunk.Hash, ObjectKind.Partial), _compression, chunk.Size, chunk.Size, cancellationToken).ConfigureAwait(false);

        // Skip to the position inside the chunk; compressed streams cannot seek.
        var skip = _position - chunk.Offset;
        if (skip > 0)
        {
            var scratch = new byte[(int)Math.Min(skip, 64 * 1024)];
            while (skip > 0)
            {
                var n = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(skip, scratch.Length)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                skip -= n;
            }
        }

        _current = stream;
    }

    private int FindChunk(long position)
    {
        var index = ChunkList.IndexAt(_chunks, position);
        return index >= 0 ? index : throw new CvmfsFormatException($"No chunk covers offset {position}.");
    }

    private async Task CloseChunkAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }
    }
}
