using Strata.Oci.Digests;
using Strata.Storage;

namespace Strata.Registry.Gc;

public sealed partial class GarbageCollector
{
    /// <summary>
    /// Lists storage for what metadata does not know: blob bytes with no blob row (a crash between
    /// storing and linking) and upload folders with no session (a crashed monolithic upload, or data
    /// left by a crash during expiry). Only objects untouched for the grace period (uploads: the
    /// upload expiry) are considered, so a push in progress is never touched. Orphaned blob bytes are
    /// claimed in metadata first and deleted through the normal three steps, so a push of the same
    /// blob at that moment waits and stores it again.
    /// </summary>
    private async Task SweepStorageAsync(bool dryRun, GcTally tally, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var blobsBefore = now - Settings.GracePeriod;
        await foreach (var stored in driver.ListAsync(BlobPaths.BlobsRoot, cancellationToken).ConfigureAwait(false))
        {
            if (stored.LastModified > blobsBefore || !TryParseBlobPath(stored.Path, out var digest)
                || await store.GetBlobAsync(digest, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            if (dryRun)
            {
                tally.Orphan(stored.Path, stored.Size);
                continue;
            }

            if (!await store.ClaimOrphanBlobAsync(digest, stored.Size, Settings.LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await driver.DeleteAsync(stored.Path, cancellationToken).ConfigureAwait(false);
            await store.CompleteBlobDeletionAsync(digest, CancellationToken.None).ConfigureAwait(false);
            tally.Orphan(stored.Path, stored.Size);
            metrics.OrphansDeleted.Add(1);
            metrics.BytesFreed.Add(stored.Size);
        }

        // An upload folder's newest object tells when it was last written.
        var uploads = new Dictionary<string, (DateTimeOffset Newest, long Size)>(StringComparer.Ordinal);
        await foreach (var stored in driver.ListAsync(BlobPaths.UploadsRoot, cancellationToken).ConfigureAwait(false))
        {
            var parts = stored.Path.Split('/');
            if (parts.Length < 3)
            {
                continue;
            }

            uploads.TryGetValue(parts[1], out var seen);
            uploads[parts[1]] = (stored.LastModified > seen.Newest ? stored.LastModified : seen.Newest, seen.Size + stored.Size);
        }

        var uploadsBefore = now - Settings.UploadExpiry;
        foreach (var (folder, (newest, size)) in uploads)
        {
            if (newest > uploadsBefore || !Guid.TryParseExact(folder, "N", out var id)
                || await store.UploadExistsAsync(id, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (!dryRun)
            {
                await driver.DeleteAsync(BlobPaths.Upload(id), cancellationToken).ConfigureAwait(false);
                metrics.OrphansDeleted.Add(1);
                metrics.BytesFreed.Add(size);
            }

            tally.Orphan(BlobPaths.Upload(id), size);
        }
    }

    /// <summary>The digest of a path <c>blobs/&lt;algorithm&gt;/&lt;2 hex&gt;/&lt;hex&gt;</c> that <see cref="BlobPaths.Blob"/> would build.</summary>
    internal static bool TryParseBlobPath(string path, out Digest digest)
    {
        digest = default;
        var parts = path.Split('/');
        if (parts.Length != 4 || parts[0] != BlobPaths.BlobsRoot
            || !Digest.TryParse($"{parts[1]}:{parts[3]}", out var parsed) || BlobPaths.Blob(parsed) != path)
        {
            return false;
        }

        digest = parsed;
        return true;
    }
}
