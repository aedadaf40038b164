namespace Strata.Metadata.Contracts.Gc;

/// <summary>A repository keeps a blob (links or references it).</summary>
public sealed record BlobUsage(string Repository, string Digest, long Size);
