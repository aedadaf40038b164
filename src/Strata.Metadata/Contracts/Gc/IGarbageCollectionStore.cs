using Strata.Oci.Digests;

namespace Strata.Metadata.Contracts.Gc;

/// <summary>
/// Online garbage collection in the metadata store, in GitLab's style: the write paths queue
/// <em>reviews</em> of blobs and manifests that may have lost their last reference (tag deleted or
/// moved, manifest deleted or pushed untagged, blob linked or unlinked), and workers take the reviews
/// that are due (older than the grace period), re-check references inside a transaction and delete.
/// Cost is proportional to churn, never to the size of the registry.
/// </summary>
/// <remarks>
/// <para>
/// A blob is live while a manifest references it or a repository links it; a link that no manifest
/// of its repository references (an abandoned push) counts only until it is older than the grace
/// period. A manifest is live while it is tagged, referenced by an index of its repository, a
/// referrer of a manifest that exists in its repository, or untagged manifests are kept by policy.
/// </para>
/// <para>
/// Deleting a blob takes three steps, so that bytes never go while metadata says the blob exists and a
/// push that reuses the blob never links bytes that are being deleted: (1) <see cref="ReviewNextBlobAsync"/>
/// marks the unreferenced blob <em>deleting</em> (from then on <see cref="IBlobLinkStore.LinkBlobAsync"/>
/// throws <see cref="BlobBeingDeletedException"/>); (2) the caller deletes the bytes; (3)
/// <see cref="CompleteBlobDeletionAsync"/> removes the row. A crash between the steps leaves the mark
/// and a leased review; when the lease expires another worker finds the mark and finishes the job.
/// </para>
/// <para>
/// Reviews are leased (<see cref="GcPolicy.LeaseDuration"/>) to the worker that takes them, so any
/// number of workers and replicas can collect at once without taking the same review twice.
/// </para>
/// </remarks>
public interface IGarbageCollectionStore
{
    /// <summary>
    /// Takes the oldest due manifest review and decides it in one transaction: a manifest that is no
    /// longer live is deleted there (with a <see cref="OutboxEventKinds.ManifestDeleted"/> event), and
    /// its blobs, child manifests and referrers are queued for review at once. Null when none is due.
    /// </summary>
    Task<ManifestReview?> ReviewNextManifestAsync(GcPolicy policy, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest due blob review and decides it in one transaction: prunes the blob's links that
    /// are older than the grace period and that no manifest of their repository references; then keeps
    /// the blob (the review is removed, or postponed while young unreferenced links remain), or marks it
    /// deleting and leases the review to the caller (<see cref="GcVerdict.Condemned"/>): the caller must
    /// delete the bytes, then call <see cref="CompleteBlobDeletionAsync"/>. Null when none is due.
    /// </summary>
    Task<BlobReview?> ReviewNextBlobAsync(GcPolicy policy, CancellationToken cancellationToken);

    /// <summary>Removes a blob marked deleting (its bytes are gone) and its review. False when there was no such mark.</summary>
    Task<bool> CompleteBlobDeletionAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Decides up to <paramref name="limit"/> due manifest reviews, each exactly as
    /// <see cref="ReviewNextManifestAsync"/> would. A store with one writer (SQLite) decides them in one
    /// short transaction, so a collection takes the write lock once per batch instead of once per review;
    /// the default decides them one by one. Empty when none is due.
    /// </summary>
    async Task<IReadOnlyList<ManifestReview>> ReviewManifestsAsync(GcPolicy policy, int limit, CancellationToken cancellationToken)
    {
        var reviews = new List<ManifestReview>();
        while (reviews.Count < limit && await ReviewNextManifestAsync(policy, cancellationToken).ConfigureAwait(false) is { } review)
        {
            reviews.Add(review);
        }

        return reviews;
    }

    /// <summary>
    /// Decides up to <paramref name="limit"/> due blob reviews with the same verdicts as
    /// <see cref="ReviewNextBlobAsync"/> (see <see cref="BlobReviewBatch"/> for what is listed). A store
    /// with one writer (SQLite) decides them in one short transaction; the default, one by one.
    /// </summary>
    async Task<BlobReviewBatch> ReviewBlobsAsync(GcPolicy policy, int limit, CancellationToken cancellationToken)
    {
        var reviews = new List<BlobReview>();
        while (reviews.Count < limit && await ReviewNextBlobAsync(policy, cancellationToken).ConfigureAwait(false) is { } review)
        {
            reviews.Add(review);
        }

        return new BlobReviewBatch(reviews.Count, reviews);
    }

    /// <summary>
    /// <see cref="CompleteBlobDeletionAsync"/> for several blobs whose bytes are gone (one transaction on
    /// SQLite); returns those that were still marked deleting.
    /// </summary>
    async Task<IReadOnlyList<Digest>> CompleteBlobDeletionsAsync(IReadOnlyList<Digest> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        var completed = new List<Digest>();
        foreach (var digest in digests)
        {
            if (await CompleteBlobDeletionAsync(digest, cancellationToken).ConfigureAwait(false))
            {
                completed.Add(digest);
            }
        }

        return completed;
    }

    /// <summary>The bytes could not be deleted: the blob stays marked and its review is retried at <paramref name="retryAt"/>.</summary>
    Task PostponeBlobDeletionAsync(Digest digest, DateTimeOffset retryAt, CancellationToken cancellationToken);

    /// <summary>
    /// A dry run: takes and decides every due review exactly as <see cref="ReviewNextManifestAsync"/> and
    /// <see cref="ReviewNextBlobAsync"/> would, in one transaction that is rolled back, so what it
    /// reports is what a real run would delete now; nothing changes. At most <paramref name="limit"/> reviews.
    /// </summary>
    Task<GcPlan> PlanAsync(GcPolicy policy, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Bytes found in storage with no blob row (a crash between storing and linking): records the blob
    /// already marked deleting, with a review leased for <paramref name="leaseDuration"/>, so the caller
    /// deletes the bytes through the same three steps (a push of the same blob meanwhile waits, then
    /// stores it again). False, changing nothing, when the blob has a row after all.
    /// </summary>
    Task<bool> ClaimOrphanBlobAsync(Digest digest, long size, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Queues a blob review (due after the grace period).</summary>
    Task QueueBlobReviewAsync(Digest digest, string reason, CancellationToken cancellationToken);

    /// <summary>Reviews waiting (due or not): the backlog, for metrics and status.</summary>
    Task<GcBacklog> GetBacklogAsync(CancellationToken cancellationToken);

    /// <summary>Whether an upload session with this id exists (in any repository).</summary>
    Task<bool> UploadExistsAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Records a finished collection run; returns its id.</summary>
    Task<long> AddGcRunAsync(GcRunRecord run, CancellationToken cancellationToken);

    /// <summary>Collection runs, newest first.</summary>
    Task<IReadOnlyList<GcRunRecord>> ListGcRunsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Every (repository, blob) pair that keeps a blob: a link, or a reference from a manifest of the
    /// repository; with the blob's size, in repository then digest order. Usage figures are computed from it.
    /// </summary>
    Task<IReadOnlyList<BlobUsage>> ListBlobUsageAsync(CancellationToken cancellationToken);
}
