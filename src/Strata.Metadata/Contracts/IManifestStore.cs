using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts;

/// <summary>Manifests, their references, referrers (subject links) and deletion.</summary>
public interface IManifestStore
{
    /// <summary>
    /// In one transaction: checks that every referenced blob is linked to the repository and every
    /// referenced manifest exists in it (if not, writes nothing and reports what is missing);
    /// creates the repository if new; stores the manifest (unless already there), its references
    /// and subject; points the tags at it; writes the outbox events
    /// (<see cref="OutboxEventKinds.ManifestPushed"/> if new, <see cref="OutboxEventKinds.TagSet"/> per tag created or moved).
    /// </summary>
    Task<PutManifestResult> PutManifestAsync(ManifestWrite write, CancellationToken cancellationToken);

    Task<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);

    Task<ManifestRecord?> GetManifestByTagAsync(string repository, string tag, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the manifest, every tag pointing at it and its references, with a
    /// <see cref="OutboxEventKinds.TagDeleted"/> event per removed tag (carrying the manifest's
    /// digest) followed by a <see cref="OutboxEventKinds.ManifestDeleted"/> event. False when it did not exist.
    /// </summary>
    Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Manifests of the repository whose subject is <paramref name="subject"/>, optionally only those
    /// with the given artifact type, ordered by digest. Content is not needed by callers and may be empty.
    /// </summary>
    Task<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken);
}
