using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts.Gc;

/// <summary>
/// The blob is being deleted by garbage collection (its bytes may already be gone), so it cannot be
/// linked now. A push that meets this waits until the deletion is finished and stores its bytes again.
/// </summary>
public sealed class BlobBeingDeletedException(Digest digest)
    : Exception($"blob {digest} is being deleted by garbage collection")
{
    public Digest Digest { get; } = digest;
}
