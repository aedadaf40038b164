using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts;

/// <summary>
/// Outcome of a manifest write. When <see cref="MissingBlobs"/> or <see cref="MissingManifests"/>
/// is non-empty nothing was written.
/// </summary>
public sealed record PutManifestResult(IReadOnlyList<Digest> MissingBlobs, IReadOnlyList<Digest> MissingManifests)
{
    public static readonly PutManifestResult Stored = new([], []);

    public bool Succeeded => MissingBlobs.Count == 0 && MissingManifests.Count == 0;
}
