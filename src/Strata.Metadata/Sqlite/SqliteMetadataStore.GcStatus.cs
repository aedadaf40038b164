using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Sqlite;

/// <summary>Garbage collection history, backlog and usage figures.</summary>
public sealed partial class SqliteMetadataStore
{
    private const string GcRunColumns =
        "id, trigger_name, dry_run, started_at, finished_at, status, manifests_deleted, blobs_deleted, links_pruned, uploads_expired, orphans_deleted, bytes_freed, error";

    /// <inheritdoc />
    public Task QueueBlobReviewAsync(Digest digest, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return WriteAsync(
            transaction =>
            {
                QueueBlobReview(transaction, digest.ToString(), reason);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ClaimOrphanBlobAsync(Digest digest, long size, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                var now = NowMilliseconds();
                if (transaction.Execute(
                        "INSERT INTO blobs (digest, size, created_at, deleting_since) VALUES (@digest, @size, @now, @now) ON CONFLICT (digest) DO NOTHING",
                        ("@digest", digest.ToString()),
                        ("@size", size),
                        ("@now", now)) == 0)
                {
                    return false;
                }

                transaction.Execute(
                    """
                    INSERT INTO gc_blob_reviews (digest, reason, event_at, lease_until, attempts, created_at) VALUES (@digest, 'storage.orphan', 0, @leaseUntil, 1, @now)
                    ON CONFLICT (digest) DO UPDATE SET lease_until = excluded.lease_until, attempts = gc_blob_reviews.attempts + 1
                    """,
                    ("@digest", digest.ToString()),
                    ("@leaseUntil", now + (long)leaseDuration.TotalMilliseconds),
                    ("@now", now));
                return true;
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<GcBacklog> GetBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("""
            SELECT (SELECT COUNT(*) FROM gc_manifest_reviews),
                   (SELECT COUNT(*) FROM gc_blob_reviews),
                   (SELECT COUNT(*) FROM blobs WHERE deleting_since IS NOT NULL)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new GcBacklog(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <inheritdoc />
    public async Task<bool> UploadExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT 1 FROM upload_sessions WHERE id = @id").With("@id", id.ToString("D"));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public Task<long> AddGcRunAsync(GcRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteAsync(
            transaction => (long)transaction.Scalar(
                $"""
                INSERT INTO gc_runs ({GcRunColumns.Replace("id, ", "", StringComparison.Ordinal)})
                VALUES (@trigger, @dryRun, @startedAt, @finishedAt, @status, @manifests, @blobs, @links, @uploads, @orphans, @bytes, @error)
                RETURNING id
                """,
                ("@trigger", run.Trigger),
                ("@dryRun", run.DryRun ? 1 : 0),
                ("@startedAt", UnixMilliseconds.From(run.StartedAt)),
                ("@finishedAt", UnixMilliseconds.From(run.FinishedAt)),
                ("@status", run.Status),
                ("@manifests", run.ManifestsDeleted),
                ("@blobs", run.BlobsDeleted),
                ("@links", run.LinksPruned),
                ("@uploads", run.UploadsExpired),
                ("@orphans", run.OrphansDeleted),
                ("@bytes", run.BytesFreed),
                ("@error", run.Error))!,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GcRunRecord>> ListGcRunsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT {GcRunColumns} FROM gc_runs ORDER BY id DESC LIMIT @limit").With("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<GcRunRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new GcRunRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2) != 0,
                UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(3)),
                UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(4)),
                reader.GetString(5),
                reader.GetInt64(6),
                reader.GetInt64(7),
                reader.GetInt64(8),
                reader.GetInt64(9),
                reader.GetInt64(10),
                reader.GetInt64(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return runs;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlobUsage>> ListBlobUsageAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("""
            SELECT r.name, u.digest, b.size
            FROM (SELECT repository_id, digest FROM repository_blobs
                  UNION
                  SELECT m.repository_id, mbr.digest FROM manifest_blob_references mbr JOIN manifests m ON m.id = mbr.manifest_id) u
            JOIN repositories r ON r.id = u.repository_id
            JOIN blobs b ON b.digest = u.digest
            ORDER BY r.name, u.digest
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var usage = new List<BlobUsage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            usage.Add(new BlobUsage(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return usage;
    }
}
