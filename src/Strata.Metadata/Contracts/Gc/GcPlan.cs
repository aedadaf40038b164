namespace Strata.Metadata.Contracts.Gc;

/// <summary>What a run would delete now (<see cref="IGarbageCollectionStore.PlanAsync"/>): manifests and blobs (condemned ones only).</summary>
/// <param name="Complete">False when the review limit was reached before every due review was decided.</param>
public sealed record GcPlan(IReadOnlyList<ManifestReview> Manifests, IReadOnlyList<BlobReview> Blobs, bool Complete);
