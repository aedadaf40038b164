using Npgsql;

namespace Strata.Metadata.Postgres;

/// <summary>
/// Feeding the garbage collection review queues from the write paths, in their transactions (see
/// <see cref="Contracts.Gc.IGarbageCollectionStore"/>). A new event postpones a queued review.
/// </summary>
/// <remarks>
/// Lock order, shared with the reviews (<c>PostgresMetadataStore.GcReviews.cs</c>) so they cannot
/// deadlock each other: review row, then blob row, then link rows. A write path that queues a blob
/// review does it before it touches the blob or its links.
/// </remarks>
public sealed partial class PostgresMetadataStore
{
    private const string BlobReviewUpsert = """
        ON CONFLICT (digest) DO UPDATE
        SET reason = excluded.reason, event_at = GREATEST(gc_blob_reviews.event_at, excluded.event_at)
        """;

    private const string ManifestReviewUpsert = """
        ON CONFLICT (repository_id, digest) DO UPDATE
        SET reason = excluded.reason, event_at = GREATEST(gc_manifest_reviews.event_at, excluded.event_at)
        """;

    /// <summary>Queues reviews of the blobs, due a grace period after <paramref name="eventAt"/> (default now).</summary>
    private Task QueueBlobReviewsAsync(NpgsqlTransaction transaction, string[] digests, string reason, CancellationToken cancellationToken, long? eventAt = null) =>
        transaction.Command($"""
                INSERT INTO gc_blob_reviews (digest, reason, event_at, created_at)
                SELECT d, @reason, @at, @now FROM unnest(@digests) AS d ORDER BY d COLLATE "C"
                {BlobReviewUpsert}
                """)
            .With("@digests", digests)
            .With("@reason", reason)
            .With("@at", eventAt ?? NowMilliseconds())
            .With("@now", NowMilliseconds())
            .ExecuteAsync(cancellationToken);

    /// <summary>Queues a review of the repository's manifest.</summary>
    private Task QueueManifestReviewAsync(NpgsqlTransaction transaction, long repositoryId, string digest, string reason, CancellationToken cancellationToken) =>
        transaction.Command($"""
                INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
                VALUES (@repository, @digest, @reason, @now, @now)
                {ManifestReviewUpsert}
                """)
            .With("@repository", repositoryId)
            .With("@digest", digest)
            .With("@reason", reason)
            .With("@now", NowMilliseconds())
            .ExecuteAsync(cancellationToken);

    /// <summary>Queues reviews of the manifests with these ids (tags moved away from them).</summary>
    private Task QueueManifestReviewsByIdAsync(NpgsqlTransaction transaction, long[] manifestIds, string reason, CancellationToken cancellationToken) =>
        transaction.Command($"""
                INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
                SELECT repository_id, digest, @reason, @now, @now FROM manifests WHERE id = ANY(@ids)
                ORDER BY repository_id, digest
                {ManifestReviewUpsert}
                """)
            .With("@ids", manifestIds)
            .With("@reason", reason)
            .With("@now", NowMilliseconds())
            .ExecuteAsync(cancellationToken);

    /// <summary>
    /// Before a manifest is deleted: queues reviews of every blob it references, every manifest it
    /// lists (an index's children) and every referrer whose subject it is, in its repository.
    /// </summary>
    private async Task QueueManifestContentReviewsAsync(NpgsqlTransaction transaction, long manifestId, string reason, CancellationToken cancellationToken, long? eventAt = null)
    {
        await transaction.Command($"""
                INSERT INTO gc_blob_reviews (digest, reason, event_at, created_at)
                SELECT digest, @reason, @at, @now FROM manifest_blob_references WHERE manifest_id = @id ORDER BY digest
                {BlobReviewUpsert};
                INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
                SELECT DISTINCT m.repository_id, c.child_digest, @reason, @at, @now
                FROM manifest_manifest_references c JOIN manifests m ON m.id = c.manifest_id
                WHERE c.manifest_id = @id
                {ManifestReviewUpsert};
                INSERT INTO gc_manifest_reviews (repository_id, digest, reason, event_at, created_at)
                SELECT referrer.repository_id, referrer.digest, @reason, @at, @now
                FROM manifests subject
                JOIN manifests referrer ON referrer.repository_id = subject.repository_id AND referrer.subject_digest = subject.digest
                WHERE subject.id = @id
                {ManifestReviewUpsert};
                """)
            .With("@id", manifestId)
            .With("@reason", reason)
            .With("@at", eventAt ?? NowMilliseconds())
            .With("@now", NowMilliseconds())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
