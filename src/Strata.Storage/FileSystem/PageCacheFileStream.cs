namespace Strata.Storage.FileSystem;

/// <summary>
/// A read-only <see cref="FileStream"/> whose asynchronous reads run inline, on the caller's thread.
/// </summary>
/// <remarks>
/// On Unix, .NET has no asynchronous file I/O: every <c>FileStream.ReadAsync</c> is a blocking
/// <c>pread</c> queued to the thread pool, whether or not the file was opened with
/// <see cref="FileOptions.Asynchronous"/>. Serving a blob therefore hopped threads once per
/// 256 KiB chunk, and the wake-ups (plus the pool's spinning in <c>sched_yield</c>) cost more CPU
/// than the copy itself; a 1 GiB GET ran at 0.71× distribution's speed (docs/benchmarks.md).
/// Registry blobs are read sequentially and are almost always in the page cache, where a 256 KiB
/// <c>pread</c> takes tens of microseconds, so blocking the calling pool thread for it is cheaper
/// than handing it to another. A cold read from disk blocks one pool thread for the disk's
/// latency, which the pool compensates for by injecting threads, the same price the queued read
/// paid. The decision is named in docs/architecture.md ("Blob reads run inline").
/// </remarks>
internal sealed class PageCacheFileStream(string path, FileStreamOptions options) : FileStream(path, options)
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return new ValueTask<int>(Read(buffer.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
