using System.Buffers;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reading;

/// <summary>
/// Holds an object's stored bytes until its hash is checked, so that nothing unverified is ever
/// decompressed or returned. Small objects stay in memory; larger ones go to a delete-on-close
/// temporary file, which keeps memory bounded whatever the object size.
/// </summary>
internal static class ObjectSpool
{
    /// <summary>
    /// Copies <paramref name="source"/> into a spool (at most <paramref name="maxBytes"/> bytes),
    /// checks the bytes hash to <paramref name="expected"/> and returns the spool positioned at 0.
    /// </summary>
    public static async Task<Stream> FillAndVerifyAsync(Stream source, ContentHash expected, long maxBytes, int memoryThreshold, string temporaryDirectory, string what, CancellationToken cancellationToken)
    {
        using var hasher = ContentHasher.Create(expected.Algorithm);
        Stream spool = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(ObjectEncoder.StreamBufferSize);
        try
        {
            long total = 0;
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += n;
                if (total > maxBytes)
                {
                    throw new CvmfsVerificationException(VerificationFailure.SizeLimitExceeded, $"{what} is larger than the limit of {maxBytes} stored bytes.");
                }

                hasher.Append(buffer.AsSpan(0, n));
                if (spool is MemoryStream memory && total > memoryThreshold)
                {
                    spool = await MoveToFileAsync(memory, temporaryDirectory, cancellationToken).ConfigureAwait(false);
                }

                await spool.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }

            var actual = hasher.Finish();
            if (actual != expected)
            {
                throw new CvmfsVerificationException(VerificationFailure.ObjectHashMismatch, $"{what}: stored bytes hash to {actual}, not {expected}.");
            }

            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Stream> MoveToFileAsync(MemoryStream memory, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "spool-" + Guid.NewGuid().ToString("N"));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            memory.Position = 0;
            await memory.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            await memory.DisposeAsync().ConfigureAwait(false);
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
