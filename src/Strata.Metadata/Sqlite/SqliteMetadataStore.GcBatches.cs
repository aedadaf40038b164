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
/// A batch also stops once it held the write lock for <see cref="BatchHoldBudget"/> (after at least one
/// decision), and the one statement's size adapts to that budget, so a push waits about that long at
/// most behind the collector whatever the rows cost or the machine's load.
/// </remarks>
public sealed partial class SqliteMetadataStore
{
    private static readonly TimeSpan BatchHoldBudget = TimeSpan.FromMilliseconds(5);
    private const int MaxPlainlyKeptBatch = 10_000;

    // Size of the next plainly-kept statement, adapted to BatchHoldBudget (see ReviewBlobsAsync).
    private int _plainlyKeptBatch = 32;

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
                while (reviews.Count < limit && (reviews.Count == 0 || Stopwatch.GetElapsedTime(started) < BatchHoldBudget) && ReviewNextManifest(transaction, policy) is { } review)
                {
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
                var size = Math.Min(limit, Volatile.Read(ref _plainlyKeptBatch));
                var kept = transaction.Execute(
                    PlainlyKeptBlobReviews,
                    ("@due", now - (long)policy.GracePeriod.TotalMilliseconds),
                    ("@now", now),
                    ("@limit", size));

                // The statement cannot stop halfway, so its size follows the time it took: halved when over the
                // budget, doubled when well under (up to the caller's limit). Wall time, so a loaded machine
                // gets smaller batches too.
                var took = Stopwatch.GetElapsedTime(started);
                Volatile.Write(ref _plainlyKeptBatch, took > BatchHoldBudget ? Math.Max(1, size / 2) : took < BatchHoldBudget / 2 ? Math.Min(MaxPlainlyKeptBatch, size * 2) : size);

                var reviews = new List<BlobReview>();
                while (kept + reviews.Count < limit
                    && (kept + reviews.Count == 0 || Stopwatch.GetElapsedTime(started) < BatchHoldBudget)
                    && ReviewNextBlob(transaction, policy) is { } review)
                {
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
}
