using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts;

/// <summary>
/// Everything one manifest PUT changes, applied by <see cref="IManifestStore.PutManifestAsync"/>
/// in a single transaction together with its outbox events.
/// </summary>
/// <param name="Manifest">The manifest to store (ignored if the repository already has this digest; tags still move).</param>
/// <param name="BlobReferences">Blobs (config, layers) the manifest references; each must be linked to the repository.</param>
/// <param name="ManifestReferences">Manifests an index references; each must exist in the repository.</param>
/// <param name="Tags">Tags to point at this manifest (created or moved).</param>
public sealed record ManifestWrite(
    ManifestRecord Manifest,
    IReadOnlyList<Digest> BlobReferences,
    IReadOnlyList<Digest> ManifestReferences,
    IReadOnlyList<string> Tags);
