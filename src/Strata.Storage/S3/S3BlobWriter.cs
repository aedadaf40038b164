using System.Buffers;
using Strata.Storage.Drivers;

namespace Strata.Storage.S3;

/// <summary>
/// Appends one segment to a chain (see <see cref="S3BlobDriver"/>'s remarks). Memory is one
/// buffer of <see cref="S3DriverOptions.PartSize"/> bytes, rented from the shared pool: data is
/// copied into it and, each time it is full and more data comes, sent as one part of the
/// segment's multipart upload. Nothing this writer writes is visible before
/// <see cref="CommitAsync"/>, which stores the segment in one step (PutObject when it fits the
/// buffer, CompleteMultipartUpload otherwise).
/// <para>
/// When the chain ends with a segment smaller than 5 MiB, the writer starts by reading it back
/// into the buffer and writes its own segment at the same offset: the commit replaces the small
/// segment with a longer one, so every segment but the last stays at least 5 MiB and the chain can
/// be concatenated inside S3. An uncommitted writer leaves the small segment as it was.
/// </para>
/// <para>
/// <see cref="CommitAsync"/> and <see cref="CancelAsync"/> end the writer, as in the filesystem
/// driver. <see cref="DisposeAsync"/> without either aborts the multipart upload: this writer's
/// data is dropped (it was never durable) and the object stays as of the last commit, which is
/// what <see cref="IBlobDriver.StatAsync"/> reports and the upload layer resumes from.
/// </para>
/// </summary>
internal sealed class S3BlobWriter : IBlobWriter
{
    private readonly S3BlobDriver _driver;
    private readonly string _path;
    private readonly string _generation;
    private readonly long _segmentOffset;
    private readonly bool _mustCreate;
    private readonly int _partSize;
    private byte[]? _buffer;
    private int _buffered;
    private bool _wrote;
    private S3MultipartUpload? _upload;
    private long _size;
    private State _state;

    private S3BlobWriter(S3BlobDriver driver, string path, string generation, long segmentOffset, long size, bool mustCreate)
    {
        _driver = driver;
        _path = path;
        _generation = generation;
        _segmentOffset = segmentOffset;
        _size = size;
        _mustCreate = mustCreate;
        _partSize = driver.Options.PartSize;
        _buffer = ArrayPool<byte>.Shared.Rent(_partSize);
    }

    private enum State
    {
        Open,
        Committed,
        Cancelled,
        Disposed,
    }

    public long Size => _size;

    private string SegmentKey => _driver.SegmentKey(_path, _generation, _segmentOffset);

    public static async Task<S3BlobWriter> OpenAsync(S3BlobDriver driver, string path, bool append, CancellationToken cancellationToken)
    {
        S3StoredObject? existing = null;
        if (append)
        {
            existing = await driver.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Start over, as truncating a file would: the old object and all its segments go now.
            await driver.DeleteKeysAsync(path, includeDescendants: false, cancellationToken).ConfigureAwait(false);
        }

        if (existing is null)
        {
            return new S3BlobWriter(driver, path, S3BlobDriver.NewGeneration(), 0, 0, mustCreate: true);
        }

        S3BlobWriter writer;
        S3Segment? reread = null;
        if (!existing.IsChain)
        {
            // A plain object (from Put or Move) becomes the head of a new chain: a small one is
            // read back and rewritten with the marker, a larger one copied onto itself with it.
            var generation = S3BlobDriver.NewGeneration();
            if (existing.Size < S3DriverOptions.MinimumPartSize)
            {
                writer = new S3BlobWriter(driver, path, generation, 0, existing.Size, mustCreate: false);
                reread = existing.Head;
            }
            else
            {
                await driver.CopyAsync(existing, existing.Head.Key, generation, cancellationToken).ConfigureAwait(false);
                writer = new S3BlobWriter(driver, path, generation, existing.Size, existing.Size, mustCreate: false);
            }
        }
        else if (existing.Last.Size < S3DriverOptions.MinimumPartSize)
        {
            writer = new S3BlobWriter(driver, path, existing.Generation!, existing.Last.Offset, existing.Size, mustCreate: false);
            reread = existing.Last;
        }
        else
        {
            writer = new S3BlobWriter(driver, path, existing.Generation!, existing.Size, existing.Size, mustCreate: false);
        }

        if (reread is not null)
        {
            try
            {
                await writer.ReadBackAsync(reread, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await writer.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return writer;
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        while (data.Length > 0)
        {
            // Flush a full buffer only when more data comes, so a segment of exactly one part
            // is still a single PutObject at commit.
            if (_buffered == _partSize)
            {
                await FlushPartAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = Math.Min(data.Length, _partSize - _buffered);
            data.Span[..n].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += n;
            _size += n;
            _wrote = true;
            data = data[n..];
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        if (_upload is not null)
        {
            await _upload.UploadPartAsync(_buffer!, _buffered, cancellationToken).ConfigureAwait(false);
            await _upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
            _upload = null;
        }
        else if (_wrote || _mustCreate)
        {
            // Offset 0 is the head: it carries the chain's generation.
            await _driver.PutBufferAsync(SegmentKey, _buffer!, _buffered, _segmentOffset == 0 ? _generation : null, cancellationToken).ConfigureAwait(false);
        }

        End(State.Committed);
    }

    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        if (_state == State.Committed)
        {
            throw new InvalidOperationException("the writer was already committed");
        }

        await AbortUploadAsync().ConfigureAwait(false);
        End(State.Cancelled);
        await _driver.DeleteKeysAsync(_path, includeDescendants: false, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await AbortUploadAsync().ConfigureAwait(false);
        if (_state == State.Open)
        {
            End(State.Disposed);
        }
    }

    private async Task ReadBackAsync(S3Segment segment, CancellationToken cancellationToken)
    {
        if (segment.Size == 0)
        {
            return;
        }

        using var response = await _driver.GetRangeAsync(segment.Key, 0, segment.Size - 1, cancellationToken).ConfigureAwait(false);
        await response.ResponseStream.ReadExactlyAsync(_buffer.AsMemory(0, (int)segment.Size), cancellationToken).ConfigureAwait(false);
        _buffered = (int)segment.Size;
    }

    private async Task FlushPartAsync(CancellationToken cancellationToken)
    {
        _upload ??= await S3MultipartUpload.StartAsync(_driver, SegmentKey, _segmentOffset == 0 ? _generation : null, cancellationToken).ConfigureAwait(false);
        await _upload.UploadPartAsync(_buffer!, _buffered, cancellationToken).ConfigureAwait(false);
        _buffered = 0;
    }

    private async Task AbortUploadAsync()
    {
        if (_upload is { } upload)
        {
            _upload = null;
            await upload.AbortAsync().ConfigureAwait(false);
        }
    }

    private void End(State state)
    {
        _state = state;
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ThrowIfEnded()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException($"the writer was already {_state.ToString().ToLowerInvariant()}");
        }
    }
}
