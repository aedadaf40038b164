using System.Text.Json;

namespace Strata.Client;

/// <summary>Counters the client keeps while it runs; written to the status file and shown by <c>strata mount --stats</c>.</summary>
public sealed class ClientStatistics
{
    private long _cacheHits;
    private long _cacheMisses;
    private long _bytesFetched;
    private long _downloads;
    private long _failedAttempts;
    private long _corruptDownloads;
    private long _evictions;
    private long _bytesEvicted;
    private long _ioErrors;

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    public long Downloads => Interlocked.Read(ref _downloads);

    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    public long CorruptDownloads => Interlocked.Read(ref _corruptDownloads);

    public long Evictions => Interlocked.Read(ref _evictions);

    public long BytesEvicted => Interlocked.Read(ref _bytesEvicted);

    public long IoErrors => Interlocked.Read(ref _ioErrors);

    internal void Hit() => Interlocked.Increment(ref _cacheHits);

    internal void Miss() => Interlocked.Increment(ref _cacheMisses);

    internal void Fetched(long bytes)
    {
        Interlocked.Increment(ref _downloads);
        Interlocked.Add(ref _bytesFetched, bytes);
    }

    internal void AttemptFailed() => Interlocked.Increment(ref _failedAttempts);

    internal void Corrupt() => Interlocked.Increment(ref _corruptDownloads);

    internal void Evicted(long bytes)
    {
        Interlocked.Increment(ref _evictions);
        Interlocked.Add(ref _bytesEvicted, bytes);
    }

    internal void IoError() => Interlocked.Increment(ref _ioErrors);

    /// <summary>The counters plus what the caller adds (cache use, revision), as one JSON object.</summary>
    public string ToJson(IReadOnlyDictionary<string, object?> extra)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["cache_hits"] = CacheHits,
            ["cache_misses"] = CacheMisses,
            ["bytes_fetched"] = BytesFetched,
            ["downloads"] = Downloads,
            ["failed_attempts"] = FailedAttempts,
            ["corrupt_downloads"] = CorruptDownloads,
            ["evictions"] = Evictions,
            ["bytes_evicted"] = BytesEvicted,
            ["io_errors"] = IoErrors,
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return JsonSerializer.Serialize(values, new JsonSerializerOptions { WriteIndented = true });
    }
}
