using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// Garbage collection reviews decided in batches: one short background transaction per batch instead
/// of one per review (see <see cref="BackgroundWriteAsync"/> for how batches give way to pushes).
/// </summary>
/// <remarks>
/// Most blob reviews are of blobs that are plainly still referenced: every upload queues one, a grace
/// period later the image has been pushed and tagged. Those are decided by one statement per batch,
/// which re-checks inside the transaction exactly what the one-by-one review would find (a manifest
/// references the blob, it is not being deleted, and no link of it lacks a referencing manifest in its
/// repository — the only case where the one-by-one review would prune a link or postpone). The rest
/// of the batch is decided one by one, with the same code as <see cref="ReviewNextBlobAsync"/>.
/// A batch keeps SQLite's writer at most <see cref="BatchHoldBudget"/>, strictly: before each step it
/// predicts, from what such steps cost lately (<see cref="StepCost"/>), whether the step still fits in
/// what is left of the budget, and stops if not (after at least one decision, so that a batch that
/// decides nothing still means "nothing is due"). The plainly-kept statement cannot stop halfway, so
/// it is split: run in slices of as many rows as fit in what is left. A push therefore waits about
/// the budget at most behind the collector, whatever the rows cost or the machine's load.
/// </remarks>
public sealed partial class SqliteMetadataStore
{
    private static readonly TimeSpan BatchHoldBudget = TimeSpan.FromMilliseconds(5);

    // What the batch's own BEGIN IMMEDIATE and COMMIT take of the hold: the steps get the rest.
    private static readonly long BatchWorkTicks = (long)((BatchHoldBudget - TimeSpan.FromMilliseconds(0.5)).TotalSeconds * Stopwatch.Frequency);

    // One slice of the plainly-kept statement decides at most this many reviews (a bound on one statement).
    private const int MaxPlainlyKeptSlice = 2_000;

    // What the last slice decided: the next one is at most about twice that, so that where the oldest due reviews
    // are mostly garbage (decided one by one) a slice does not spend the budget re-checking them.
    private int _plainlyKeptLastDecided = 16;

    private readonly StepCost _plainlyKeptRowCost = new(TimeSpan.FromMicroseconds(20));
    private readonly StepCost _blobReviewCost = new(TimeSpan.FromMicroseconds(300));
    private readonly StepCost _manifestReviewCost = new(TimeSpan.FromMicroseconds(500));

    private const string PlainlyKeptBlobReviews = """
        DELETE FROM gc_blob_reviews
        WHERE digest IN (
                SELECT q.digest FROM gc_blob_reviews q
                WHERE q.event_at <= @due AND (q.lease_until IS NULL OR q.lease_until <= @now)
                ORDER BY q.event_at LIMIT @limit)
            AND EXISTS (SELECT 1 FROM manifest_blob_references r WHERE r.digest = gc_blob_reviews.digest)
            AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.digest = gc_blob_reviews.digest AND b.deleting_since IS NOT NULL)
            AND NOT EXISTS (
                SELECT 1 FROM repository_blobs rb
                WHERE rb.digest = gc_blob_reviews.digest AND NOT EXISTS (
                    SELECT 1 FROM manifest_blob_references mbr JOIN manifests m ON m.id = mbr.manifest_id
                    WHERE mbr.digest = rb.digest AND m.repository_id = rb.repository_id))
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<ManifestReview>> ReviewManifestsAsync(GcPolicy policy, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return BackgroundWriteAsync<IReadOnlyList<ManifestReview>>(
            transaction =>
            {
                var started = Stopwatch.GetTimestamp();
                var reviews = new List<ManifestReview>();

                // At least one review per batch, whatever the clock says: a batch that decides nothing means "none is due".
                while (reviews.Count < limit && (reviews.Count == 0 || Fits(started, _manifestReviewCost)))
                {
                    var step = Stopwatch.GetTimestamp();
                    var review = ReviewNextManifest(transaction, policy);
                    _manifestReviewCost.Record(Stopwatch.GetTimestamp() - step, 1);
                    if (review is null)
                    {
                        break;
                    }

                    reviews.Add(review);
                }

                return reviews;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<BlobReviewBatch> ReviewBlobsAsync(GcPolicy policy, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return BackgroundWriteAsync(
            transaction =>
            {
                var started = Stopwatch.GetTimestamp();
                var now = NowMilliseconds();
                var kept = 0;

                // Slices of the plainly-kept statement while a whole slice fits; a short slice means the oldest due
                // reviews include some that must be decided one by one (the next slice would find them again).
                while (kept < limit)
                {
                    var growth = (2 * Volatile.Read(ref _plainlyKeptLastDecided)) + 8;
                    var size = (int)Math.Min(Math.Min(limit - kept, Math.Min(MaxPlainlyKeptSlice, growth)), _plainlyKeptRowCost.Fitting(BatchWorkTicks - (Stopwatch.GetTimestamp() - started)));
                    if (size < 1)
                    {
                        break;
                    }

                    var slice = Stopwatch.GetTimestamp();
                    var decided = transaction.Execute(
                        PlainlyKeptBlobReviews,
                        ("@due", now - (long)policy.GracePeriod.TotalMilliseconds),
                        ("@now", now),
                        ("@limit", size));
                    _plainlyKeptRowCost.Record(Stopwatch.GetTimestamp() - slice, size);
                    kept += decided;
                    Volatile.Write(ref _plainlyKeptLastDecided, decided);
                    if (decided < size)
                    {
                        break;
                    }
                }

                var reviews = new List<BlobReview>();
                while (kept + reviews.Count < limit && (kept + reviews.Count == 0 || Fits(started, _blobReviewCost)))
                {
                    var step = Stopwatch.GetTimestamp();
                    var review = ReviewNextBlob(transaction, policy);
                    _blobReviewCost.Record(Stopwatch.GetTimestamp() - step, 1);
                    if (review is null)
                    {
                        break;
                    }

                    reviews.Add(review);
                }

                return new BlobReviewBatch(kept + reviews.Count, reviews);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Digest>> CompleteBlobDeletionsAsync(IReadOnlyList<Digest> digests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return BackgroundWriteAsync<IReadOnlyList<Digest>>(
            transaction => digests.Where(digest => CompleteBlobDeletion(transaction, digest.ToString())).ToList(),
            cancellationToken);
    }

    /// <summary>Whether one more step of <paramref name="cost"/> fits in what is left of the batch's budget.</summary>
    private static bool Fits(long started, StepCost cost) => cost.Fitting(BatchWorkTicks - (Stopwatch.GetTimestamp() - started)) >= 1;
}
