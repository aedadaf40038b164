using System.Buffers;
using System.Security.Cryptography;
using Strata.Client.Network;
using Strata.Cvmfs.Objects;

namespace Strata.Client.Cache;

/// <summary>Downloading into the cache: verify, decompress, rename into place.</summary>
public sealed partial class ObjectCache
{
    private async Task FetchContentAsync(ObjectId id, ObjectCompression compression, long size, string path, HttpFetcher fetcher, CancellationToken cancellationToken)
    {
        var download = NewTransactionPath("dl");
        var temporary = NewTransactionPath("tmp");
        try
        {
            var stored = new FileStream(download, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await using (stored.ConfigureAwait(false))
            {
                // The fetcher hashes what it receives: nothing unverified is ever decompressed.
                await fetcher.DownloadAsync(id.Path, id.Hash, ObjectDecoder.MaxStoredSize(size, compression), stored, null, cancellationToken).ConfigureAwait(false);
                stored.Position = 0;
                var content = ObjectDecoder.OpenRead(stored, compression, size, size, id.Path);
                await using (content.ConfigureAwait(false))
                {
                    var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
                    await using (output.ConfigureAwait(false))
                    {
                        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
                        try
                        {
                            long total = 0;
                            int n;
                            while ((n = await content.ReadAsync(buffer.AsMemory(0, 128 * 1024), cancellationToken).ConfigureAwait(false)) > 0)
                            {
                                sha.AppendData(buffer, 0, n);
                                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                                total += n;
                            }

                            await output.WriteAsync(ContentTrailer.Create(total, sha.GetHashAndReset()), cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
            }

            Commit(temporary, path, size + ContentTrailer.Size);

            // Just written from verified bytes: no need to re-hash it on first open.
            _verified.TryAdd(id.Path, 0);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private async Task FetchStoredAsync(ObjectId id, long maxBytes, string path, HttpFetcher fetcher, CancellationToken cancellationToken)
    {
        var temporary = NewTransactionPath("tmp");
        try
        {
            long length;
            var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                await fetcher.DownloadAsync(id.Path, id.Hash, maxBytes, output, null, cancellationToken).ConfigureAwait(false);
                length = output.Length;
            }

            Commit(temporary, path, length);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private void Commit(string temporary, string path, long length)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(temporary, path, overwrite: true);
        Added(RelativeKey(path), length);
    }

    private string NewTransactionPath(string kind) =>
        Path.Combine(TransactionDirectory, $"{Environment.ProcessId}-{Guid.NewGuid():N}.{kind}");
}
