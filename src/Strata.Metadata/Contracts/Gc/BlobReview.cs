using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts.Gc;

/// <summary>The outcome of one blob review; <see cref="Size"/> is 0 when the blob vanished.</summary>
/// <param name="LinksPruned">Unreferenced links older than the grace period removed by this review.</param>
public sealed record BlobReview(Digest Digest, long Size, GcVerdict Verdict, int LinksPruned);
