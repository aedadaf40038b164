using System.Buffers;
using Strata.Storage.Drivers;

namespace Strata.Registry.Uploads;

/// <summary>The copy loop from a request body into a blob writer, with one pooled buffer.</summary>
internal static class StreamPump
{
    // 256 KiB: large enough that per-call overhead (hash update, syscalls) is negligible next to
    // the ~1 GB/s SHA-256 rate here, small enough that 100 concurrent uploads hold 25 MiB.
    private const int BufferSize = 256 * 1024;

    public static async Task<long> CopyAsync(Stream source, IBlobWriter destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // Fill the whole buffer before each write: request bodies arrive in ~2 KiB socket reads,
            // and writing each one separately cost ~10x distribution's syscalls (bench/registry-bench.sh).
            long total = 0;
            while (true)
            {
                var filled = 0;
                int read;
                while (filled < BufferSize
                    && (read = await source.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    filled += read;
                }

                if (filled == 0)
                {
                    return total;
                }

                await destination.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                total += filled;
                if (filled < BufferSize)
                {
                    return total;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Feeds the first <paramref name="length"/> bytes of <paramref name="source"/> into a hash.</summary>
    public static async Task HashAsync(Stream source, System.Security.Cryptography.IncrementalHash hash, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException($"stored upload is shorter than {length} bytes");
                }

                hash.AppendData(buffer, 0, read);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
