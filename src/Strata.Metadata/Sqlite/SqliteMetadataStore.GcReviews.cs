using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// Deciding garbage collection reviews (<see cref="IGarbageCollectionStore"/>). Every decision runs in
/// one IMMEDIATE transaction, so no push, tag or delete can interleave with the reference checks;
/// the same functions serve the dry run inside a transaction that is rolled back.
/// </summary>
public sealed partial class SqliteMetadataStore
{
    /// <summary>Links of the blob that no manifest of the link's repository references (abandoned pushes).</summary>
    private const string UnreferencedLinkCondition = """
        NOT EXISTS (
            SELECT 1 FROM manifest_blob_references mbr JOIN manifests m ON m.id = mbr.manifest_id
            WHERE mbr.digest = repository_blobs.digest AND m.repository_id = repository_blobs.repository_id)
        """;

    /// <inheritdoc />
    public Task<ManifestReview?> ReviewNextManifestAsync(GcPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return BackgroundWriteAsync(transaction => ReviewNextManifest(transaction, policy), cancellationToken);
    }

    /// <inheritdoc />
    public Task<BlobReview?> ReviewNextBlobAsync(GcPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return BackgroundWriteAsync(transaction => ReviewNextBlob(transaction, policy), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteBlobDeletionAsync(Digest digest, CancellationToken cancellationToken) =>
        BackgroundWriteAsync(transaction => CompleteBlobDeletion(transaction, digest.ToString()), cancellationToken);

    /// <inheritdoc />
    public Task PostponeBlobDeletionAsync(Digest digest, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        BackgroundWriteAsync(
            transaction => transaction.Execute(
                "UPDATE gc_blob_reviews SET lease_until = @retryAt WHERE digest = @digest",
                ("@digest", digest.ToString()),
                ("@retryAt", UnixMilliseconds.From(retryAt))),
            cancellationToken);

    /// <inheritdoc />
    public async Task<GcPlan> PlanAsync(GcPolicy policy, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = _writeConnection ?? throw NotInitialized();
            using var transaction = connection.BeginTransaction(deferred: false);
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

                var review = ReviewNextManifest(transaction, policy);
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

                var review = ReviewNextBlob(transaction, policy);
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
            transaction.Rollback();
            return new GcPlan(manifests, blobs, complete);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private ManifestReview? ReviewNextManifest(SqliteTransaction transaction, GcPolicy policy)
    {
        var now = NowMilliseconds();
        var dueBefore = now - (long)policy.GracePeriod.TotalMilliseconds;
        long repositoryId;
        string digest;
        string? repository;
        using (var next = transaction.Command("""
                SELECT q.repository_id, q.digest, r.name
                FROM gc_manifest_reviews q LEFT JOIN repositories r ON r.id = q.repository_id
                WHERE q.event_at <= @due AND (q.lease_until IS NULL OR q.lease_until <= @now)
                ORDER BY q.event_at LIMIT 1
                """).With("@due", dueBefore).With("@now", now))
        using (var reader = next.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            repositoryId = reader.GetInt64(0);
            digest = reader.GetString(1);
            repository = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        var parsed = Digest.Parse(digest);
        long manifestId = 0;
        long size = 0;
        string mediaType = string.Empty;
        string? subject = null;
        var found = false;
        using (var find = transaction.Command("SELECT id, size, media_type, subject_digest FROM manifests WHERE repository_id = @repository AND digest = @digest")
            .With("@repository", repositoryId).With("@digest", digest))
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                found = true;
                manifestId = reader.GetInt64(0);
                size = reader.GetInt64(1);
                mediaType = reader.GetString(2);
                subject = reader.IsDBNull(3) ? null : reader.GetString(3);
            }
        }

        if (repository is null || !found)
        {
            DeleteManifestReview(transaction, repositoryId, digest);
            return new ManifestReview(repository ?? "", parsed, 0, GcVerdict.Vanished);
        }

        var live = !policy.DeleteUntagged || (long)transaction.Scalar(
            """
            SELECT EXISTS (SELECT 1 FROM tags WHERE manifest_id = @id)
                OR EXISTS (SELECT 1 FROM manifest_manifest_references c JOIN manifests p ON p.id = c.manifest_id
                           WHERE c.child_digest = @digest AND p.repository_id = @repository)
                OR (@subject IS NOT NULL AND EXISTS (SELECT 1 FROM manifests WHERE repository_id = @repository AND digest = @subject))
            """,
            ("@id", manifestId),
            ("@digest", digest),
            ("@repository", repositoryId),
            ("@subject", subject))! != 0;
        if (live)
        {
            DeleteManifestReview(transaction, repositoryId, digest);
            return new ManifestReview(repository, parsed, size, GcVerdict.Kept);
        }

        // What the manifest kept alive is reviewed at once (due now: their grace ran with the manifest's).
        QueueManifestContentReviews(transaction, manifestId, "manifest.collected", dueBefore);
        transaction.Execute("DELETE FROM manifest_blob_references WHERE manifest_id = @id", ("@id", manifestId));
        transaction.Execute("DELETE FROM manifest_manifest_references WHERE manifest_id = @id", ("@id", manifestId));
        transaction.Execute("DELETE FROM manifests WHERE id = @id", ("@id", manifestId));
        DeleteManifestReview(transaction, repositoryId, digest);
        AppendEvent(transaction, OutboxEventKinds.ManifestDeleted, repository, digest, tag: null, mediaType);
        return new ManifestReview(repository, parsed, size, GcVerdict.Deleted);
    }

    private BlobReview? ReviewNextBlob(SqliteTransaction transaction, GcPolicy policy)
    {
        var now = NowMilliseconds();
        var dueBefore = now - (long)policy.GracePeriod.TotalMilliseconds;
        if (transaction.Scalar(
                """
                SELECT digest FROM gc_blob_reviews
                WHERE event_at <= @due AND (lease_until IS NULL OR lease_until <= @now)
                ORDER BY event_at LIMIT 1
                """,
                ("@due", dueBefore),
                ("@now", now)) is not string digest)
        {
            return null;
        }

        var parsed = Digest.Parse(digest);
        long? size = null;
        var deleting = false;
        using (var find = transaction.Command("SELECT size, deleting_since FROM blobs WHERE digest = @digest").With("@digest", digest))
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                size = reader.GetInt64(0);
                deleting = !reader.IsDBNull(1);
            }
        }

        if (size is null)
        {
            transaction.Execute("DELETE FROM gc_blob_reviews WHERE digest = @digest", ("@digest", digest));
            return new BlobReview(parsed, 0, GcVerdict.Vanished, 0);
        }

        var leaseUntil = now + (long)policy.LeaseDuration.TotalMilliseconds;
        if (deleting)
        {
            // A worker marked it and did not finish (crash, storage error): finish its job.
            LeaseBlobReview(transaction, digest, leaseUntil);
            return new BlobReview(parsed, size.Value, GcVerdict.Condemned, 0);
        }

        var pruned = transaction.Execute(
            $"DELETE FROM repository_blobs WHERE digest = @digest AND created_at <= @due AND {UnreferencedLinkCondition}",
            ("@digest", digest),
            ("@due", dueBefore));
        var referenced = (long)transaction.Scalar(
            """
            SELECT EXISTS (SELECT 1 FROM manifest_blob_references WHERE digest = @digest)
                OR EXISTS (SELECT 1 FROM repository_blobs WHERE digest = @digest)
            """,
            ("@digest", digest))! != 0;
        if (referenced)
        {
            // Young links that nothing references yet (a push in progress) are looked at again when they are old enough.
            if (transaction.Scalar(
                    $"SELECT MIN(created_at) FROM repository_blobs WHERE digest = @digest AND {UnreferencedLinkCondition}",
                    ("@digest", digest)) is long youngest)
            {
                transaction.Execute(
                    "UPDATE gc_blob_reviews SET event_at = @at, lease_until = NULL, reason = 'link.unreferenced' WHERE digest = @digest",
                    ("@digest", digest),
                    ("@at", youngest));
            }
            else
            {
                transaction.Execute("DELETE FROM gc_blob_reviews WHERE digest = @digest", ("@digest", digest));
            }

            return new BlobReview(parsed, size.Value, GcVerdict.Kept, pruned);
        }

        transaction.Execute("UPDATE blobs SET deleting_since = @now WHERE digest = @digest", ("@digest", digest), ("@now", now));
        LeaseBlobReview(transaction, digest, leaseUntil);
        return new BlobReview(parsed, size.Value, GcVerdict.Condemned, pruned);
    }

    private static bool CompleteBlobDeletion(SqliteTransaction transaction, string digest)
    {
        var removed = transaction.Execute("DELETE FROM blobs WHERE digest = @digest AND deleting_since IS NOT NULL", ("@digest", digest));
        transaction.Execute("DELETE FROM gc_blob_reviews WHERE digest = @digest", ("@digest", digest));
        return removed > 0;
    }

    private static void LeaseBlobReview(SqliteTransaction transaction, string digest, long leaseUntil) =>
        transaction.Execute(
            "UPDATE gc_blob_reviews SET lease_until = @leaseUntil, attempts = attempts + 1 WHERE digest = @digest",
            ("@digest", digest),
            ("@leaseUntil", leaseUntil));

    private static void DeleteManifestReview(SqliteTransaction transaction, long repositoryId, string digest) =>
        transaction.Execute(
            "DELETE FROM gc_manifest_reviews WHERE repository_id = @repository AND digest = @digest",
            ("@repository", repositoryId),
            ("@digest", digest));
}
