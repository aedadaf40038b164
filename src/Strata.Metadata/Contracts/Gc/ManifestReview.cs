using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts.Gc;

/// <summary>The outcome of one manifest review.</summary>
public sealed record ManifestReview(string Repository, Digest Digest, long Size, GcVerdict Verdict);
