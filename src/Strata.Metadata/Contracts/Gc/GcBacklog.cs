namespace Strata.Metadata.Contracts.Gc;

/// <summary>Reviews waiting, and blobs currently marked deleting.</summary>
public sealed record GcBacklog(long ManifestReviews, long BlobReviews, long BlobsDeleting);
