using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts;

/// <summary>Blobs and their links to repositories. A blob is reachable only through a repository that links it.</summary>
public interface IBlobLinkStore
{
    /// <summary>The blob, whatever repository links it, or null.</summary>
    Task<BlobRecord?> GetBlobAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>The blob if <paramref name="repository"/> links it, else null.</summary>
    Task<BlobRecord?> GetRepositoryBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Records the blob (if new) and links it to the repository (created if new), in one transaction.
    /// Idempotent.
    /// </summary>
    Task LinkBlobAsync(string repository, BlobRecord blob, CancellationToken cancellationToken);

    /// <summary>Removes the repository's link (and writes a <see cref="OutboxEventKinds.BlobUnlinked"/> event). False when there was none.</summary>
    Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);
}
