using Microsoft.Win32.SafeHandles;

namespace Strata.Client.Cache;

/// <summary>
/// An open, verified cache entry holding decompressed content: read at any offset without a lock
/// (<c>pread</c>). The entry stays readable even if it is evicted meanwhile (the open descriptor keeps
/// the inode alive), so files open on an old revision keep working.
/// </summary>
public sealed class CachedContent : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly Action? _release;
    private int _disposed;

    internal CachedContent(SafeFileHandle handle, long length, Action? release)
    {
        _handle = handle;
        Length = length;
        _release = release;
    }

    /// <summary>Content length (the trailer is never visible).</summary>
    public long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 at or past the end.</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        if (offset >= Length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, Length - offset);
        var total = 0;
        while (total < count)
        {
            var n = RandomAccess.Read(_handle, buffer.Slice(total, count - total), offset + total);
            if (n <= 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handle.Dispose();
            _release?.Invoke();
        }
    }
}
