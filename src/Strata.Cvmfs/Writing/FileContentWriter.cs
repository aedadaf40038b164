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
        var current = await StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long total = 0, chunkStart = 0;
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
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
                        current = await StartAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (chunks.Count == 0)
            {
                var whole = await current.FinishAsync(ObjectKind.File, cancellationToken).ConfigureAwait(false);
                return new StoredFile(total, whole.Hash, [], _options.Algorithm, _options.Compression);
            }

            var last = await current.FinishAsync(ObjectKind.Partial, cancellationToken).ConfigureAwait(false);
            chunks.Add(new ChunkRecord(chunkStart, last.ContentSize, last.Hash));
            return new StoredFile(total, null, chunks, _options.Algorithm, _options.Compression);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<PendingChunk> StartAsync(CancellationToken cancellationToken)
    {
        var pending = await _sink.CreateAsync(cancellationToken).ConfigureAwait(false);
        return new PendingChunk(pending, new ObjectEncoder(pending.Content, _options.Compression, _options.Algorithm));
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
