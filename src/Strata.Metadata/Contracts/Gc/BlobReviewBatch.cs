namespace Strata.Metadata.Contracts.Gc;

/// <summary>The outcome of a batch of blob reviews (<see cref="IGarbageCollectionStore.ReviewBlobsAsync"/>).</summary>
/// <param name="Decided">Reviews decided in the batch, including those in <paramref name="Reviews"/>; 0 when none was due.</param>
/// <param name="Reviews">
/// The reviews decided one by one, with their verdicts (every condemned blob is among them). Reviews of
/// blobs that were plainly still referenced (a manifest references the blob and every link of it is
/// referenced in its repository) are decided together and only counted in <paramref name="Decided"/>.
/// </param>
public sealed record BlobReviewBatch(int Decided, IReadOnlyList<BlobReview> Reviews);
