using System.Buffers;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Writing;

/// <summary>
/// Stores a regular file's content in one streaming pass: chunk boundaries are found, each chunk is
/// compressed and hashed as it is read, and committed the moment it ends. Memory is one read buffer
/// plus one compressor, whatever the file size.
/// </summary>
/// <remarks>
/// A file that yields no boundary (every file of at most the minimum chunk size, and larger files
/// without a content-defined cut below the maximum) is stored as one whole object without suffix,
/// not as a single <c>P</c> chunk; a chunked file gets no bulk object (cvmfs's defaults).
/// </remarks>
public sealed class FileContentWriter
{
    private readonly IObjectSink _sink;
    private readonly FileContentOptions _options;

    public FileContentWriter(IObjectSink sink, FileContentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _options = options ?? new FileContentOptions();
    }

    /// <summary>Stores all of <paramref name="content"/>.</summary>
    public async Task<StoredFile> WriteAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var detector = _options.Chunking is null ? null : new Xor32ChunkDetector(_options.Chunking);
        var chunks = new List<ChunkRecord>();
        var buffer = ArrayPool<byte>.Shared.Rent(ObjectEncoder.StreamBufferSize);
        PendingChunk? current = null;
        try
        {
            // The first block decides the compression of every object of the file (catalog flags are per file).
            var n = await content.ReadAtLeastAsync(buffer.AsMemory(0, ObjectEncoder.StreamBufferSize), ObjectEncoder.StreamBufferSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var compression = ChooseCompression(buffer.AsSpan(0, n));
            current = await StartAsync(compression, cancellationToken).ConfigureAwait(false);
            long total = 0, chunkStart = 0;

            // Full blocks, not whatever each read returns: zlib-ng's output depends on how its input is
            // split into writes, so short reads (a tar entry read through gzip) would give the same
            // content another object name, depending on the layer's compression, and lose dedup.
            for (; n > 0; n = await content.ReadAtLeastAsync(buffer.AsMemory(0, ObjectEncoder.StreamBufferSize), ObjectEncoder.StreamBufferSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false))
            {
                var at = 0;
                while (at < n)
                {
                    var boundary = detector?.FindBoundary(buffer.AsSpan(at, n - at)) ?? -1;
                    var take = boundary < 0 ? n - at : boundary;
                    await current.Encoder.WriteAsync(buffer.AsMemory(at, take), cancellationToken).ConfigureAwait(false);
                    total += take;
                    at += take;
                    if (boundary >= 0)
                    {
                        var chunk = await current.FinishAsync(ObjectKind.Partial, cancellationToken).ConfigureAwait(false);
                        chunks.Add(new ChunkRecord(chunkStart, chunk.ContentSize, chunk.Hash));
                        chunkStart = total;
                        current = await StartAsync(compression, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (chunks.Count == 0)
            {
                var whole = await current.FinishAsync(ObjectKind.File, cancellationToken).ConfigureAwait(false);
                return new StoredFile(total, whole.Hash, [], _options.Algorithm, compression);
            }

            var last = await current.FinishAsync(ObjectKind.Partial, cancellationToken).ConfigureAwait(false);
            chunks.Add(new ChunkRecord(chunkStart, last.ContentSize, last.Hash));
            return new StoredFile(total, null, chunks, _options.Algorithm, compression);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (current is not null)
            {
                await current.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// zlib, unless <see cref="FileContentOptions.StoreIncompressibleUncompressed"/> is on and the
    /// file's first block (at least <see cref="IncompressibleSampleBytes"/>) does not shrink by
    /// 3 %: already-compressed content (archives, images, packed weights) is then stored as is,
    /// flagged <see cref="ObjectCompression.None"/>, instead of being deflated for nothing.
    /// </summary>
    private ObjectCompression ChooseCompression(ReadOnlySpan<byte> firstBlock)
    {
        if (_options.Compression != ObjectCompression.Zlib || !_options.StoreIncompressibleUncompressed || firstBlock.Length < IncompressibleSampleBytes)
        {
            return _options.Compression;
        }

        var sample = firstBlock[..IncompressibleSampleBytes];
        using var probe = new CountingStream();
        using (var zlib = new System.IO.Compression.ZLibStream(probe, new System.IO.Compression.ZLibCompressionOptions { CompressionLevel = 1 }, leaveOpen: true))
        {
            zlib.Write(sample);
        }

        return probe.Length * 100 >= sample.Length * 97L ? ObjectCompression.None : ObjectCompression.Zlib;
    }

    /// <summary>Size of the sample that decides whether a file is stored uncompressed (smaller files are always compressed).</summary>
    public const int IncompressibleSampleBytes = 64 * 1024;

    private async Task<PendingChunk> StartAsync(ObjectCompression compression, CancellationToken cancellationToken)
    {
        var pending = await _sink.CreateAsync(cancellationToken).ConfigureAwait(false);
        return new PendingChunk(pending, new ObjectEncoder(pending.Content, compression, _options.Algorithm, _options.CompressionLevel));
    }

    /// <summary>Counts what is written to it and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }

    private sealed class PendingChunk(IPendingObject pending, ObjectEncoder encoder) : IAsyncDisposable
    {
        public ObjectEncoder Encoder => encoder;

        public async Task<EncodedObject> FinishAsync(ObjectKind kind, CancellationToken cancellationToken)
        {
            var encoded = await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await pending.CommitAsync(new ObjectId(encoded.Hash, kind), cancellationToken).ConfigureAwait(false);
            return encoded;
        }

        public async ValueTask DisposeAsync()
        {
            await encoder.DisposeAsync().ConfigureAwait(false);
            await pending.DisposeAsync().ConfigureAwait(false);
        }
    }
}
