namespace Strata.Publish.Layers;

/// <summary>
/// Wraps a decompressor and fails the layer when its output exceeds the size limit, or the
/// expansion ratio limit once past the ratio threshold: a decompression bomb stops within one
/// buffer of the limit instead of filling the disk.
/// </summary>
internal sealed class BombGuardStream(Stream decompressed, CountingReadStream compressed, LayerLimits limits) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Check(decompressed.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await ReadInnerAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await decompressed.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new LayerFormatException($"layer is not valid compressed data: {e.Message}");
        }
        catch (EndOfStreamException)
        {
            throw new LayerFormatException("layer compressed stream is truncated");
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new LayerFormatException($"layer is not valid zstd data: {e.Message}");
        }
    }

    private int Check(int read)
    {
        BytesRead += read;
        if (BytesRead > limits.MaxUncompressedBytes)
        {
            throw new LayerFormatException($"layer expands beyond {limits.MaxUncompressedBytes} bytes");
        }

        if (BytesRead > limits.RatioCheckAfterBytes && BytesRead > limits.MaxCompressionRatio * Math.Max(1, compressed.BytesRead))
        {
            throw new LayerFormatException(
                $"layer expands more than {limits.MaxCompressionRatio}:1 ({compressed.BytesRead} compressed bytes gave {BytesRead}); refusing a decompression bomb");
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decompressed.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
