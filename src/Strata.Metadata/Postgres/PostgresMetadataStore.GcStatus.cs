using Npgsql;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Postgres;

/// <summary>Garbage collection history, backlog and usage figures.</summary>
public sealed partial class PostgresMetadataStore
{
    private const string GcRunColumns =
        "id, trigger_name, dry_run, started_at, finished_at, status, manifests_deleted, blobs_deleted, links_pruned, uploads_expired, orphans_deleted, bytes_freed, error";

    /// <inheritdoc />
    public Task QueueBlobReviewAsync(Digest digest, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return WriteAsync(
            async (transaction, token) =>
            {
                await QueueBlobReviewsAsync(transaction, [digest.ToString()], reason, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ClaimOrphanBlobAsync(Digest digest, long size, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        WriteAsync(
            async (transaction, token) =>
            {
                var now = NowMilliseconds();

                // The new blob row is invisible to everyone until commit, so taking it before the review
                // row cannot deadlock with GC's order (review, then blob).
                var inserted = await transaction.Command(
                        "INSERT INTO blobs (digest, size, created_at, deleting_since) VALUES (@digest, @size, @now, @now) ON CONFLICT (digest) DO NOTHING")
                    .With("@digest", digest.ToString())
                    .With("@size", size)
                    .With("@now", now)
                    .ExecuteAsync(token).ConfigureAwait(false);
                if (inserted == 0)
                {
                    return false;
                }

                await transaction.Command("""
                        INSERT INTO gc_blob_reviews (digest, reason, event_at, lease_until, attempts, created_at) VALUES (@digest, 'storage.orphan', 0, @leaseUntil, 1, @now)
                        ON CONFLICT (digest) DO UPDATE SET lease_until = excluded.lease_until, attempts = gc_blob_reviews.attempts + 1
                        """)
                    .With("@digest", digest.ToString())
                    .With("@leaseUntil", now + (long)leaseDuration.TotalMilliseconds)
                    .With("@now", now)
                    .ExecuteAsync(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<GcBacklog> GetBacklogAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            async (connection, token) => (await connection.Command("""
                    SELECT (SELECT COUNT(*) FROM gc_manifest_reviews),
                           (SELECT COUNT(*) FROM gc_blob_reviews),
                           (SELECT COUNT(*) FROM blobs WHERE deleting_since IS NOT NULL)
                    """)
                .FirstOrDefaultAsync(reader => new GcBacklog(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)), token).ConfigureAwait(false))!,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> UploadExistsAsync(Guid id, CancellationToken cancellationToken) =>
        ReadAsync(
            async (connection, token) => await connection.Command("SELECT 1 FROM upload_sessions WHERE id = @id")
                .With("@id", id)
                .ScalarAsync<object>(token).ConfigureAwait(false) is not null,
            cancellationToken);

    /// <inheritdoc />
    public Task<long> AddGcRunAsync(GcRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteAsync(
            async (transaction, token) => await transaction.Command($"""
                    INSERT INTO gc_runs ({GcRunColumns.Replace("id, ", "", StringComparison.Ordinal)})
                    VALUES (@trigger, @dryRun, @startedAt, @finishedAt, @status, @manifests, @blobs, @links, @uploads, @orphans, @bytes, @error)
                    RETURNING id
                    """)
                .With("@trigger", run.Trigger)
                .With("@dryRun", run.DryRun)
                .With("@startedAt", ToMilliseconds(run.StartedAt))
                .With("@finishedAt", ToMilliseconds(run.FinishedAt))
                .With("@status", run.Status)
                .With("@manifests", run.ManifestsDeleted)
                .With("@blobs", run.BlobsDeleted)
                .With("@links", run.LinksPruned)
                .With("@uploads", run.UploadsExpired)
                .With("@orphans", run.OrphansDeleted)
                .With("@bytes", run.BytesFreed)
                .With("@error", run.Error)
                .ScalarAsync<long>(token).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GcRunRecord>> ListGcRunsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await ReadAsync(
            (connection, token) => connection.Command($"SELECT {GcRunColumns} FROM gc_runs ORDER BY id DESC LIMIT @limit")
                .With("@limit", limit)
                .ListAsync(ReadGcRun, token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlobUsage>> ListBlobUsageAsync(CancellationToken cancellationToken) =>
        await ReadAsync(
            (connection, token) => connection.Command("""
                    SELECT r.name, u.digest, b.size
                    FROM (SELECT repository_id, digest FROM repository_blobs
                          UNION
                          SELECT m.repository_id, mbr.digest FROM manifest_blob_references mbr JOIN manifests m ON m.id = mbr.manifest_id) u
                    JOIN repositories r ON r.id = u.repository_id
                    JOIN blobs b ON b.digest = u.digest
                    ORDER BY r.name, u.digest
                    """)
                .ListAsync(reader => new BlobUsage(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), token),
            cancellationToken).ConfigureAwait(false);

    private static GcRunRecord ReadGcRun(NpgsqlDataReader reader) =>
        new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetBoolean(2),
            FromMilliseconds(reader.GetInt64(3)),
            FromMilliseconds(reader.GetInt64(4)),
            reader.GetString(5),
            reader.GetInt64(6),
            reader.GetInt64(7),
            reader.GetInt64(8),
            reader.GetInt64(9),
            reader.GetInt64(10),
            reader.GetInt64(11),
            reader.GetNullableString(12));
}
