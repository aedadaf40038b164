namespace Strata.Publish.Storage;

/// <summary>Tuning of <see cref="DriverObjectSink"/>.</summary>
public sealed record DriverObjectSinkOptions
{
    /// <summary>
    /// Object writes in flight at once. Each write is a durable Put (fsync on a filesystem, a PUT
    /// on S3); running many at once lets the filesystem journal commit them together and hides
    /// object-store latency, so thousands of small files are not paced by one fsync each.
    /// </summary>
    public int MaxConcurrentWrites { get; init; } = 32;

    /// <summary>Objects up to this many stored bytes wait for their write in memory; larger ones in a spool file.</summary>
    public int MemorySpoolBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// On a filesystem driver (Linux): write objects without a per-object fsync and make them
    /// durable with one <c>syncfs</c> before anything can reference them (see <see cref="DriverObjectSink"/>).
    /// </summary>
    public bool UseFileSystemBarrier { get; init; } = true;

    /// <summary>
    /// Filesystem barrier path: objects queued for a writer at most (the producer waits beyond). With
    /// <see cref="DirectMemoryBytes"/> that bounds the memory held: 256 × 256 KiB = 64 MiB.
    /// </summary>
    public int MaxQueuedObjects { get; init; } = 256;

    /// <summary>
    /// Filesystem barrier path: objects up to this many stored bytes wait in memory for a writer
    /// thread; larger ones are written straight into their own temporary file by the producer and
    /// renamed into place (no second copy).
    /// </summary>
    public int DirectMemoryBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Filesystem barrier path: threads creating object files at once. Creating a file is CPU work in
    /// the kernel (no fsync to wait for), so more writers than cores only contend for the
    /// <c>data/txn</c> directory lock. Default: half the cores, at least 1; the other half
    /// decompresses and encodes.
    /// </summary>
    public int FileWriters { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Filesystem barrier path: a flush of at most this many new objects fsyncs each of them and its
    /// directory instead of calling <c>syncfs</c> on the whole filesystem (0: always syncfs).
    /// </summary>
    public int TargetedSyncLimit { get; init; } = 64;

    /// <summary>Directory for spool files (deleted when written). Null: the system temporary directory.</summary>
    public string? SpoolDirectory { get; init; }
}
