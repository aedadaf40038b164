using Strata.Client.Cache;
using Strata.Client.Network;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Client.Repository;

/// <summary>
/// An open regular file: its chunk list (one pseudo-chunk for a whole-object file) and the cache
/// entries opened so far. A chunked file fetches only the chunks that reads touch. Holds a
/// reference on its revision, so it keeps reading that revision after a newer one is served.
/// </summary>
public sealed class FileContent : IAsyncDisposable
{
    private const int OpenChunkLimit = 4;
    private readonly IReadOnlyList<ChunkRecord> _chunks;
    private readonly ObjectCompression _compression;
    private readonly ObjectCache _cache;
    private readonly HttpFetcher _fetcher;
    private readonly RevisionView _view;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, CachedContent> _open = [];
    private readonly LinkedList<int> _recent = new();
    private bool _disposed;

    internal FileContent(IReadOnlyList<ChunkRecord> chunks, ObjectCompression compression, bool chunked, long length, ObjectCache cache, HttpFetcher fetcher, RevisionView view)
    {
        _chunks = chunks;
        _compression = compression;
        IsChunked = chunked;
        Length = length;
        _cache = cache;
        _fetcher = fetcher;
        _view = view;
    }

    /// <summary>File size.</summary>
    public long Length { get; }

    /// <summary>True when the file is stored as several chunk objects.</summary>
    public bool IsChunked { get; }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; fewer bytes only at the end of the file.</summary>
    public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length && offset + total < Length)
        {
            var position = offset + total;
            var index = FindChunk(position);
            var chunk = _chunks[index];
            var content = await GetChunkAsync(index, cancellationToken).ConfigureAwait(false);
            var n = content.Read(buffer.Span[total..], position - chunk.Offset);
            if (n <= 0)
            {
                throw new IOException($"Cache entry {chunk.Hash} ended early.");
            }

            total += n;
        }

        return total;
    }

    /// <summary>Makes sure the first chunk is local (cvmfs fetches whole files on open).</summary>
    public async Task PrefetchFirstAsync(CancellationToken cancellationToken)
    {
        if (_chunks.Count > 0)
        {
            await GetChunkAsync(0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var content in _open.Values)
            {
                content.Dispose();
            }

            _open.Clear();
        }

        await _view.ReleaseAsync().ConfigureAwait(false);
    }

    private async ValueTask<CachedContent> GetChunkAsync(int index, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_open.TryGetValue(index, out var existing))
            {
                return existing;
            }
        }

        var chunk = _chunks[index];
        var kind = IsChunked ? ObjectKind.Partial : ObjectKind.File;
        var opened = await _cache.OpenContentAsync(new ObjectId(chunk.Hash, kind), _compression, chunk.Size, _fetcher, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed)
            {
                opened.Dispose();
                throw new ObjectDisposedException(nameof(FileContent));
            }

            if (_open.TryGetValue(index, out var raced))
            {
                opened.Dispose();
                return raced;
            }

            // Keep a few chunk entries open; a long sequential read would otherwise hold one descriptor per chunk.
            _open[index] = opened;
            _recent.AddFirst(index);
            while (_recent.Count > OpenChunkLimit)
            {
                var oldest = _recent.Last!.Value;
                _recent.RemoveLast();
                if (_open.Remove(oldest, out var evicted))
                {
                    // Readers that hold it finish their pread first: descriptors are closed only when idle enough.
                    _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => evicted.Dispose(), TaskScheduler.Default);
                }
            }

            return opened;
        }
    }

    private int FindChunk(long position)
    {
        // The same lookup Strata.Cvmfs's chunked stream uses; the rest differs by design: reads here
        // are positional and concurrent, served from decompressed cache entries, not a forward stream.
        var index = ChunkList.IndexAt(_chunks, position);
        return index >= 0 ? index : throw new IOException($"No chunk covers offset {position}.");
    }
}
