using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Registry.Gc;
using Strata.Storage;
using Strata.Storage.Drivers;

namespace Strata.Registry.Uploads;

public sealed partial class UploadService
{
    private static readonly TimeSpan DeletionPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Closes an upload (PUT <c>?digest=</c>), with an optional last chunk in the body. The blob
    /// becomes visible only after its digest matched; a mismatch discards the upload.
    /// </summary>
    public async Task<BlobRecord> CompleteAsync(string repository, Guid id, Digest expected, Stream body, ChunkRange? range, long? contentLength, CancellationToken cancellationToken)
    {
        await RequireSessionAsync(repository, id, cancellationToken).ConfigureAwait(false);
        var state = await states.EnterAsync(id, cancellationToken).ConfigureAwait(false);
        try
        {
            var size = await StoredSizeAsync(id, cancellationToken).ConfigureAwait(false);
            if (contentLength is not 0)
            {
                CheckRange(range, contentLength, size);
                size = await AppendLockedAsync(id, state, body, size, cancellationToken).ConfigureAwait(false);
            }

            await EnsureHashAtAsync(id, state, expected.Algorithm, size, cancellationToken).ConfigureAwait(false);
            var actual = Digest.FromHash(expected.Algorithm, state.Hash!.GetCurrentHash());
            if (actual != expected)
            {
                await DiscardAsync(id, cancellationToken).ConfigureAwait(false);
                throw new RegistryException(OciErrorCode.DigestInvalid, $"upload digest is {actual}, not {expected}", new { expected = expected.ToString(), actual = actual.ToString() });
            }

            var blob = await CommitBlobAsync(repository, id, expected, size, cancellationToken).ConfigureAwait(false);
            await sessions.DeleteUploadAsync(id, cancellationToken).ConfigureAwait(false);
            states.Remove(id);
            return blob;
        }
        finally
        {
            states.Exit(state);
        }
    }

    /// <summary>
    /// A whole blob in one request (POST <c>?digest=</c> with a body). No session row is written:
    /// the data goes to a fresh upload folder, is hashed while written, and is moved into place.
    /// </summary>
    public async Task<BlobRecord> PutMonolithicAsync(string repository, Digest expected, Stream body, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var hash = expected.Algorithm.CreateHash();
        using (hash)
        {
            long size;
            try
            {
                await using var writer = await driver.OpenWriterAsync(BlobPaths.UploadData(id), append: false, cancellationToken).ConfigureAwait(false);
                await StreamPump.CopyAsync(new DigestingStream(body, hash), writer, cancellationToken).ConfigureAwait(false);
                await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
                size = writer.Size;
            }
            catch
            {
                await driver.DeleteAsync(BlobPaths.Upload(id), CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            var actual = Digest.FromHash(expected.Algorithm, hash.GetCurrentHash());
            if (actual != expected)
            {
                await driver.DeleteAsync(BlobPaths.Upload(id), CancellationToken.None).ConfigureAwait(false);
                throw new RegistryException(OciErrorCode.DigestInvalid, $"upload digest is {actual}, not {expected}", new { expected = expected.ToString(), actual = actual.ToString() });
            }

            return await CommitBlobAsync(repository, id, expected, size, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves verified upload data to its content address (or drops it when the blob is already
    /// stored: identical bytes), then links the blob to the repository. The link is written last,
    /// so a crash in between leaves at worst unlinked bytes for GC, never a link without bytes.
    /// </summary>
    /// <remarks>
    /// Garbage collection may be deleting the same blob (it lost its last reference before this push):
    /// then the link is refused (<see cref="BlobBeingDeletedException"/>), and the push waits for the
    /// deletion to finish (up to <see cref="GcOptions.BlobDeletionWait"/>) and stores its own bytes
    /// again. The upload data is kept until the link is written and the bytes are seen in place, so
    /// bytes deleted between the check and the link are put back.
    /// </remarks>
    private async Task<BlobRecord> CommitBlobAsync(string repository, Guid id, Digest digest, long size, CancellationToken cancellationToken)
    {
        var target = BlobPaths.Blob(digest);
        var blob = new BlobRecord(digest, size, time.GetUtcNow());
        var deadline = time.GetUtcNow() + gcOptions.Value.BlobDeletionWait;
        while (true)
        {
            if (await driver.StatAsync(target, cancellationToken).ConfigureAwait(false) is null)
            {
                await PlaceBytesAsync(id, target, size, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await links.LinkBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
            }
            catch (BlobBeingDeletedException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(DeletionPollInterval, time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (BlobBeingDeletedException)
            {
                throw new RegistryException(OciErrorCode.Unavailable, $"blob {digest} is being deleted by garbage collection; try again", new { digest = digest.ToString() });
            }

            if (await driver.StatAsync(target, cancellationToken).ConfigureAwait(false) is not null)
            {
                break;
            }
        }

        await driver.DeleteAsync(BlobPaths.Upload(id), cancellationToken).ConfigureAwait(false);
        return blob;
    }

    /// <remarks>
    /// The move itself tells whether the upload's data is there (every driver's move of a missing
    /// source throws <see cref="StoredObjectNotFoundException"/>): a stat before it cost two more
    /// S3 requests per pushed blob (a HEAD and, on a chain, a LIST) to learn the same.
    /// </remarks>
    private async Task PlaceBytesAsync(Guid id, string target, long size, CancellationToken cancellationToken)
    {
        try
        {
            await driver.MoveAsync(BlobPaths.UploadData(id), target, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredObjectNotFoundException) when (size == 0)
        {
            // An upload that never received a byte has no data object.
            await driver.PutAsync(target, Stream.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredObjectNotFoundException)
        {
            // Only when garbage collection took bytes this upload had already moved into place (possible
            // only for an upload idle for the whole grace period): the client must send them again.
            throw new RegistryException(OciErrorCode.BlobUploadInvalid, "the upload's data was collected while it was idle; upload the blob again");
        }
    }
}
