using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts;

/// <summary>A blob known to the registry (its bytes live in the blob driver).</summary>
public sealed record BlobRecord(Digest Digest, long Size, DateTimeOffset CreatedAt);
