using System.Buffers;
using System.Globalization;
using System.Text;
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
    /// <remarks>
    /// Written with <see cref="Utf8JsonWriter"/>, not the reflection-based serializer: the status file
    /// is written before the mount reports itself ready, and serializing a dictionary of objects by
    /// reflection made a fresh process compile converters for every primitive type (tens of ms).
    /// </remarks>
    public string ToJson(IReadOnlyDictionary<string, object?> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
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

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                switch (value)
                {
                    case null: writer.WriteNull(key); break;
                    case string text: writer.WriteString(key, text); break;
                    case bool flag: writer.WriteBoolean(key, flag); break;
                    case int number: writer.WriteNumber(key, number); break;
                    case long number: writer.WriteNumber(key, number); break;
                    case ulong number: writer.WriteNumber(key, number); break;
                    case double number: writer.WriteNumber(key, number); break;
                    default: writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
