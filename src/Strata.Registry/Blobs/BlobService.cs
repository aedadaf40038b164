using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Storage;
using Strata.Storage.Drivers;

namespace Strata.Registry.Blobs;

/// <summary>
/// Reading, mounting and unlinking blobs of a repository. A blob is visible in a repository only
/// through a link in metadata; the bytes are global and content-addressed in the blob driver.
/// </summary>
public sealed class BlobService(IBlobDriver driver, IBlobLinkStore links)
{
    /// <summary>The blob linked to <paramref name="repository"/>; BLOB_UNKNOWN otherwise.</summary>
    public async Task<BlobRecord> GetAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await links.GetRepositoryBlobAsync(repository, digest, cancellationToken).ConfigureAwait(false)
        ?? throw new RegistryException(OciErrorCode.BlobUnknown, detail: new { digest = digest.ToString() });

    /// <summary>
    /// Opens the blob's bytes from <paramref name="offset"/>. A link whose bytes are gone (a blob
    /// being collected) answers BLOB_UNKNOWN, so the client uploads it again.
    /// </summary>
    public async Task<Stream> OpenAsync(Digest digest, long offset, CancellationToken cancellationToken)
    {
        try
        {
            return await driver.OpenReadAsync(BlobPaths.Blob(digest), offset, cancellationToken).ConfigureAwait(false);
        }
        catch (StoredObjectNotFoundException)
        {
            throw new RegistryException(OciErrorCode.BlobUnknown, detail: new { digest = digest.ToString() });
        }
    }

    /// <summary>
    /// Cross-repository mount: links a blob the source repository has (or, with no source, any blob
    /// the registry holds: "anonymous mount") into the target. False when it cannot be mounted, in
    /// which case the caller falls back to an upload, as the spec says.
    /// </summary>
    public async Task<bool> TryMountAsync(string repository, Digest digest, string? fromRepository, CancellationToken cancellationToken)
    {
        var blob = fromRepository is null
            ? await links.GetBlobAsync(digest, cancellationToken).ConfigureAwait(false)
            : await links.GetRepositoryBlobAsync(fromRepository, digest, cancellationToken).ConfigureAwait(false);
        if (blob is null || await driver.StatAsync(BlobPaths.Blob(digest), cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        try
        {
            await links.LinkBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobBeingDeletedException)
        {
            // Garbage collection is deleting it: the client uploads it instead (its bytes come back then).
            return false;
        }

        // A collection may have finished deleting the bytes between the check above and the link:
        // then the link points at nothing, so it goes again and the client uploads.
        if (await driver.StatAsync(BlobPaths.Blob(digest), cancellationToken).ConfigureAwait(false) is null)
        {
            await links.UnlinkBlobAsync(repository, digest, CancellationToken.None).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Removes the blob from the repository. The bytes stay until garbage collection finds no
    /// repository linking them (deleting them here would break every other repository).
    /// </summary>
    public async Task DeleteAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        if (!await links.UnlinkBlobAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            throw new RegistryException(OciErrorCode.BlobUnknown, detail: new { digest = digest.ToString() });
        }
    }
}
