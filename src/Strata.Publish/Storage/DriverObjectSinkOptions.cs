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

    /// <summary>Directory for spool files (deleted when written). Null: the system temporary directory.</summary>
    public string? SpoolDirectory { get; init; }
}
