using System.Data;
using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Postgres;

/// <summary>
/// Deciding garbage collection reviews (<see cref="IGarbageCollectionStore"/>) with row locks, so
/// workers on every replica collect at once and never race a push:
/// <list type="bullet">
/// <item>a due review is taken <c>FOR UPDATE SKIP LOCKED</c>: other workers pass over it;</item>
/// <item>a manifest is locked <c>FOR UPDATE</c> before its tags and parents are checked: a push that
/// tags it or lists it in an index holds it <c>FOR KEY SHARE</c>, so one waits for the other (as for
/// a DELETE);</item>
/// <item>a blob is locked <c>FOR NO KEY UPDATE</c> (a link being written holds it <c>FOR SHARE</c>),
/// then its links <c>FOR UPDATE</c> (a manifest push that checked a link holds it <c>FOR KEY SHARE</c>),
/// and only then are references counted, in new statements that see every commit before the locks.</item>
/// </list>
/// </summary>
public sealed partial class PostgresMetadataStore
{
    private const string UnreferencedLinkCondition = """
        NOT EXISTS (
            SELECT 1 FROM manifest_blob_references mbr JOIN manifests m ON m.id = mbr.manifest_id
            WHERE mbr.digest = rb.digest AND m.repository_id = rb.repository_id)
        """;

    /// <inheritdoc />
    public Task<ManifestReview?> ReviewNextManifestAsync(GcPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return WriteAsync((transaction, token) => ReviewNextManifestAsync(transaction, policy, token), cancellationToken);
    }

    /// <inheritdoc />
    public Task<BlobReview?> ReviewNextBlobAsync(GcPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return WriteAsync((transaction, token) => ReviewNextBlobAsync(transaction, policy, token), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteBlobDeletionAsync(Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(
            async (transaction, token) =>
            {
                var removed = await transaction.Command("DELETE FROM blobs WHERE digest = @digest AND deleting_since IS NOT NULL")
                    .With("@digest", digest.ToString())
                    .ExecuteAsync(token).ConfigureAwait(false);
                await transaction.Command("DELETE FROM gc_blob_reviews WHERE digest = @digest")
                    .With("@digest", digest.ToString())
                    .ExecuteAsync(token).ConfigureAwait(false);
                return removed > 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task PostponeBlobDeletionAsync(Digest digest, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        WriteAsync(
            (transaction, token) => transaction.Command("UPDATE gc_blob_reviews SET lease_until = @retryAt WHERE digest = @digest")
                .With("@digest", digest.ToString())
                .With("@retryAt", ToMilliseconds(retryAt))
                .ExecuteAsync(token),
            cancellationToken);

    /// <inheritdoc />
    public Task<GcPlan> PlanAsync(GcPolicy policy, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ThrowIfNotReady();
        return _retry.ExecuteAsync(
            nameof(PlanAsync),
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token).ConfigureAwait(false);
                var manifests = new List<ManifestReview>();
                var blobs = new List<BlobReview>();
                var taken = 0;
                var complete = true;
                while (true)
                {
                    if (taken >= limit)
                    {
                        complete = false;
                        break;
                    }

                    var review = await ReviewNextManifestAsync(transaction, policy, token).ConfigureAwait(false);
                    if (review is null)
                    {
                        break;
                    }

                    taken++;
                    if (review.Verdict == GcVerdict.Deleted)
                    {
                        manifests.Add(review);
                    }
                }

                while (complete)
                {
                    if (taken >= limit)
                    {
                        complete = false;
                        break;
                    }

                    var review = await ReviewNextBlobAsync(transaction, policy, token).ConfigureAwait(false);
                    if (review is null)
                    {
                        break;
                    }

                    taken++;
                    if (review.Verdict == GcVerdict.Condemned)
                    {
                        blobs.Add(review);
                    }
                }

                // Nothing of the dry run may stay.
                await transaction.RollbackAsync(token).ConfigureAwait(false);
                return new GcPlan(manifests, blobs, complete);
            },
            cancellationToken);
    }

    private async Task<ManifestReview?> ReviewNextManifestAsync(NpgsqlTransaction transaction, GcPolicy policy, CancellationToken cancellationToken)
    {
        var now = NowMilliseconds();
        var dueBefore = now - (long)policy.GracePeriod.TotalMilliseconds;
        var next = await transaction.Command("""
                SELECT q.repository_id, q.digest, r.name
                FROM gc_manifest_reviews q LEFT JOIN repositories r ON r.id = q.repository_id
                WHERE q.event_at <= @due AND (q.lease_until IS NULL OR q.lease_until <= @now)
                ORDER BY q.event_at LIMIT 1
                FOR UPDATE OF q SKIP LOCKED
                """)
            .With("@due", dueBefore)
            .With("@now", now)
            .FirstOrDefaultAsync(reader => Tuple.Create(reader.GetInt64(0), reader.GetString(1), reader.GetNullableString(2)), cancellationToken).ConfigureAwait(false);
        if (next is null)
        {
            return null;
        }

        var (repositoryId, digest, repository) = next;
        var parsed = Digest.Parse(digest);
        var manifest = await transaction.Command("""
                SELECT id, size, media_type, subject_digest FROM manifests
                WHERE repository_id = @repository AND digest = @digest
                FOR UPDATE
                """)
            .With("@repository", repositoryId)
            .With("@digest", digest)
            .FirstOrDefaultAsync(reader => Tuple.Create(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetNullableString(3)), cancellationToken).ConfigureAwait(false);
        if (repository is null || manifest is null)
        {
            await DeleteManifestReviewAsync(transaction, repositoryId, digest, cancellationToken).ConfigureAwait(false);
            return new ManifestReview(repository ?? "", parsed, 0, GcVerdict.Vanished);
        }

        var (manifestId, size, mediaType, subject) = manifest;
        var live = !policy.DeleteUntagged || await transaction.Command("""
                SELECT EXISTS (SELECT 1 FROM tags WHERE manifest_id = @id)
                    OR EXISTS (SELECT 1 FROM manifest_manifest_references c JOIN manifests p ON p.id = c.manifest_id
                               WHERE c.child_digest = @digest AND p.repository_id = @repository)
                    OR (@subject::text IS NOT NULL AND EXISTS (SELECT 1 FROM manifests WHERE repository_id = @repository AND digest = @subject))
                """)
            .With("@id", manifestId)
            .With("@digest", digest)
            .With("@repository", repositoryId)
            .With("@subject", subject)
            .ScalarAsync<bool>(cancellationToken).ConfigureAwait(false);
        if (live)
        {
            await DeleteManifestReviewAsync(transaction, repositoryId, digest, cancellationToken).ConfigureAwait(false);
            return new ManifestReview(repository, parsed, size, GcVerdict.Kept);
        }

        // What the manifest kept alive is reviewed at once (due now: their grace ran with the manifest's).
        await QueueManifestContentReviewsAsync(transaction, manifestId, "manifest.collected", cancellationToken, dueBefore).ConfigureAwait(false);
        await transaction.Command("""
                DELETE FROM manifest_blob_references WHERE manifest_id = @id;
                DELETE FROM manifest_manifest_references WHERE manifest_id = @id;
                DELETE FROM manifests WHERE id = @id;
                """)
            .With("@id", manifestId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await DeleteManifestReviewAsync(transaction, repositoryId, digest, cancellationToken).ConfigureAwait(false);
        await AppendEventsAsync(
            transaction,
            [new PendingOutboxEvent(OutboxEventKinds.ManifestDeleted, repository, digest, Tag: null, mediaType)],
            cancellationToken).ConfigureAwait(false);
        return new ManifestReview(repository, parsed, size, GcVerdict.Deleted);
    }

    private async Task<BlobReview?> ReviewNextBlobAsync(NpgsqlTransaction transaction, GcPolicy policy, CancellationToken cancellationToken)
    {
        var now = NowMilliseconds();
        var dueBefore = now - (long)policy.GracePeriod.TotalMilliseconds;
        var digest = await transaction.Command("""
                SELECT digest FROM gc_blob_reviews
                WHERE event_at <= @due AND (lease_until IS NULL OR lease_until <= @now)
                ORDER BY event_at LIMIT 1
                FOR UPDATE SKIP LOCKED
                """)
            .With("@due", dueBefore)
            .With("@now", now)
            .ScalarAsync<string>(cancellationToken).ConfigureAwait(false);
        if (digest is null)
        {
            return null;
        }

        var parsed = Digest.Parse(digest);
        var blob = await transaction.Command("SELECT size, deleting_since IS NOT NULL FROM blobs WHERE digest = @digest FOR NO KEY UPDATE")
            .With("@digest", digest)
            .FirstOrDefaultAsync(reader => Tuple.Create(reader.GetInt64(0), reader.GetBoolean(1)), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            await transaction.Command("DELETE FROM gc_blob_reviews WHERE digest = @digest").With("@digest", digest).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return new BlobReview(parsed, 0, GcVerdict.Vanished, 0);
        }

        var (size, deleting) = blob;
        var leaseUntil = now + (long)policy.LeaseDuration.TotalMilliseconds;
        if (deleting)
        {
            // A worker marked it and did not finish (crash, storage error): finish its job.
            await LeaseBlobReviewAsync(transaction, digest, leaseUntil, cancellationToken).ConfigureAwait(false);
            return new BlobReview(parsed, size, GcVerdict.Condemned, 0);
        }

        // The links are locked before anything is counted: a push that checked one commits first.
        await transaction.Command("SELECT 1 FROM repository_blobs WHERE digest = @digest ORDER BY repository_id FOR UPDATE")
            .With("@digest", digest)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        var pruned = await transaction.Command($"""
                DELETE FROM repository_blobs rb
                WHERE rb.digest = @digest AND rb.created_at <= @due AND {UnreferencedLinkCondition}
                """)
            .With("@digest", digest)
            .With("@due", dueBefore)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        var referenced = await transaction.Command("""
                SELECT EXISTS (SELECT 1 FROM manifest_blob_references WHERE digest = @digest)
                    OR EXISTS (SELECT 1 FROM repository_blobs WHERE digest = @digest)
                """)
            .With("@digest", digest)
            .ScalarAsync<bool>(cancellationToken).ConfigureAwait(false);
        if (referenced)
        {
            // Young links that nothing references yet (a push in progress) are looked at again when they are old enough.
            var youngest = await transaction.Command($"SELECT MIN(rb.created_at) FROM repository_blobs rb WHERE rb.digest = @digest AND {UnreferencedLinkCondition}")
                .With("@digest", digest)
                .ScalarAsync<long?>(cancellationToken).ConfigureAwait(false);
            var sql = youngest is null
                ? "DELETE FROM gc_blob_reviews WHERE digest = @digest"
                : "UPDATE gc_blob_reviews SET event_at = @at, lease_until = NULL, reason = 'link.unreferenced' WHERE digest = @digest";
            await transaction.Command(sql)
                .With("@digest", digest)
                .With("@at", youngest ?? 0)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return new BlobReview(parsed, size, GcVerdict.Kept, pruned);
        }

        await transaction.Command("UPDATE blobs SET deleting_since = @now WHERE digest = @digest")
            .With("@digest", digest)
            .With("@now", now)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await LeaseBlobReviewAsync(transaction, digest, leaseUntil, cancellationToken).ConfigureAwait(false);
        return new BlobReview(parsed, size, GcVerdict.Condemned, pruned);
    }

    private static Task LeaseBlobReviewAsync(NpgsqlTransaction transaction, string digest, long leaseUntil, CancellationToken cancellationToken) =>
        transaction.Command("UPDATE gc_blob_reviews SET lease_until = @leaseUntil, attempts = attempts + 1 WHERE digest = @digest")
            .With("@digest", digest)
            .With("@leaseUntil", leaseUntil)
            .ExecuteAsync(cancellationToken);

    private static Task DeleteManifestReviewAsync(NpgsqlTransaction transaction, long repositoryId, string digest, CancellationToken cancellationToken) =>
        transaction.Command("DELETE FROM gc_manifest_reviews WHERE repository_id = @repository AND digest = @digest")
            .With("@repository", repositoryId)
            .With("@digest", digest)
            .ExecuteAsync(cancellationToken);
}
