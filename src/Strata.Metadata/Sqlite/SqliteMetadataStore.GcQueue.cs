using Microsoft.Data.Sqlite;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// Feeding the garbage collection review queues from the write paths, in their transactions (see
/// <see cref="Contracts.Gc.IGarbageCollectionStore"/>). A new event postpones a queued review: the
/// grace period always counts from the last change.
/// </summary>
public sealed partial class SqliteMetadataStore
{
    private const string BlobReviewUpsert = """
        ON CONFLICT (digest) DO UPDATE
        SET reason = excluded.reason, event_at = max(gc_blob_reviews.event_at, excluded.event_at)
        """;

    private const string ManifestReviewUpsert = """
        ON CONFLICT (repository_id, digest) DO UPDATE
        SET reason = excluded.reason, event_at = max(gc_manifest_reviews.event_at, excluded.event_at)
        """;

    /// <summary>Queues a review of the blob, due a grace period after <paramref name="eventAt"/> (default now).</summary>
    private void QueueBlobReview(SqliteTransaction transaction, string digest, string reason, long? eventAt = null) =>
        transaction.Execute(
            $"INSERT INTO gc_blob_reviews (digest, reason, event_at, created_at) VALUES (@digest, @reason, @at, @now) {BlobReviewUpsert}",
            ("@digest", digest),
            ("@reason", reason),
            ("@at", eventAt ?? NowMilliseconds()),
            ("@now", NowMilliseconds()));

    /// <summary>Queues a review of the repository's manifest.</summary>
    private void QueueManifestReview(SqliteTransaction transaction, long repositoryId, string digest, string reason) =>
        transaction.Execute(
            $"INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at) VALUES (@repository, @digest, @reason, @now, @now) {ManifestReviewUpsert}",
            ("@repository", repositoryId),
            ("@digest", digest),
            ("@reason", reason),
            ("@now", NowMilliseconds()));

    /// <summary>Queues a review of the manifest with this id (a tag moved away from it).</summary>
    private void QueueManifestReviewById(SqliteTransaction transaction, long manifestId, string reason) =>
        transaction.Execute(
            $"""
            INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
            SELECT repository_id, digest, @reason, @now, @now FROM manifests WHERE id = @id
            {ManifestReviewUpsert}
            """,
            ("@id", manifestId),
            ("@reason", reason),
            ("@now", NowMilliseconds()));

    /// <summary>
    /// Before a manifest is deleted: queues reviews of every blob it references, every manifest it
    /// lists (an index's children) and every referrer whose subject it is, in its repository.
    /// </summary>
    private void QueueManifestContentReviews(SqliteTransaction transaction, long manifestId, string reason, long? eventAt = null)
    {
        var at = eventAt ?? NowMilliseconds();
        var now = NowMilliseconds();
        transaction.Execute(
            $"""
            INSERT INTO gc_blob_reviews (digest, reason, event_at, created_at)
            SELECT digest, @reason, @at, @now FROM manifest_blob_references WHERE manifest_id = @id
            {BlobReviewUpsert}
            """,
            ("@id", manifestId),
            ("@reason", reason),
            ("@at", at),
            ("@now", now));
        transaction.Execute(
            $"""
            INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
            SELECT m.repository_id, c.child_digest, @reason, @at, @now
            FROM manifest_manifest_references c JOIN manifests m ON m.id = c.manifest_id
            WHERE c.manifest_id = @id
            {ManifestReviewUpsert}
            """,
            ("@id", manifestId),
            ("@reason", reason),
            ("@at", at),
            ("@now", now));
        transaction.Execute(
            $"""
            INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
            SELECT referrer.repository_id, referrer.digest, @reason, @at, @now
            FROM manifests subject
            JOIN manifests referrer ON referrer.repository_id = subject.repository_id AND referrer.subject_digest = subject.digest
            WHERE subject.id = @id
            {ManifestReviewUpsert}
            """,
            ("@id", manifestId),
            ("@reason", reason),
            ("@at", at),
            ("@now", now));
    }
}
