using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public Task<BlobRecord?> GetBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection.Command("SELECT size, created_at FROM blobs WHERE digest = @digest")
                .With("@digest", digest.ToString())
                .FirstOrDefaultAsync(reader => ReadBlob(reader, digest), token),
            cancellationToken);

    /// <inheritdoc />
    public Task<BlobRecord?> GetRepositoryBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection
                .Command("""
                    SELECT b.size, b.created_at
                    FROM repositories r
                    JOIN repository_blobs rb ON rb.repository_id = r.id
                    JOIN blobs b ON b.digest = rb.digest
                    WHERE r.name = @repository AND rb.digest = @digest
                    """)
                .With("@repository", repository)
                .With("@digest", digest.ToString())
                .FirstOrDefaultAsync(reader => ReadBlob(reader, digest), token),
            cancellationToken);

    /// <inheritdoc />
    public Task LinkBlobAsync(string repository, BlobRecord blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return WriteAsync(
            async (transaction, token) =>
            {
                var repositoryId = await EnsureRepositoryAsync(transaction, repository, token).ConfigureAwait(false);
                var digest = blob.Digest.ToString();

                // The review first: GC locks review, blob, links in that order (PostgresMetadataStore.GcQueue.cs).
                await QueueBlobReviewsAsync(transaction, [digest], "blob.linked", token).ConfigureAwait(false);

                // A blob row is immutable once written: the digest fixes the bytes, so the first size and time stand.
                await transaction
                    .Command("INSERT INTO blobs (digest, size, created_at) VALUES (@digest, @size, @createdAt) ON CONFLICT (digest) DO NOTHING")
                    .With("@digest", digest)
                    .With("@size", blob.Size)
                    .With("@createdAt", ToMilliseconds(blob.CreatedAt))
                    .ExecuteAsync(token).ConfigureAwait(false);

                // FOR SHARE waits for a GC review deciding this blob; if it marked the blob, its bytes are
                // going: linking them now would point at nothing (the caller waits and stores them again).
                if (await transaction.Command("SELECT deleting_since IS NOT NULL FROM blobs WHERE digest = @digest FOR SHARE")
                        .With("@digest", digest)
                        .ScalarAsync<bool>(token).ConfigureAwait(false))
                {
                    throw new BlobBeingDeletedException(blob.Digest);
                }

                // A link renewed by a new push gets a new grace period (GC prunes links no manifest references once they are older).
                await transaction
                    .Command("""
                        INSERT INTO repository_blobs (repository_id, digest, created_at) VALUES (@repository, @digest, @now)
                        ON CONFLICT (repository_id, digest) DO UPDATE SET created_at = excluded.created_at
                        """)
                    .With("@repository", repositoryId)
                    .With("@digest", digest)
                    .With("@now", NowMilliseconds())
                    .ExecuteAsync(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(
            async (transaction, token) =>
            {
                // The blob row stays: other repositories may link it, and GC decides when its bytes go.
                // A manifest write checking this link holds it FOR KEY SHARE, so this waits for it.
                // The review is queued first (GC's lock order); an unlink that finds nothing leaves a review that closes itself.
                await QueueBlobReviewsAsync(transaction, [digest.ToString()], "blob.unlinked", token).ConfigureAwait(false);
                var removed = await transaction
                    .Command("""
                        DELETE FROM repository_blobs
                        WHERE repository_id = (SELECT id FROM repositories WHERE name = @repository) AND digest = @digest
                        """)
                    .With("@repository", repository)
                    .With("@digest", digest.ToString())
                    .ExecuteAsync(token).ConfigureAwait(false);
                if (removed == 0)
                {
                    return false;
                }

                await AppendEventsAsync(
                    transaction,
                    [new PendingOutboxEvent(OutboxEventKinds.BlobUnlinked, repository, digest.ToString(), Tag: null, MediaType: null)],
                    token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    private static BlobRecord ReadBlob(NpgsqlDataReader reader, Digest digest) =>
        new(digest, reader.GetInt64(0), FromMilliseconds(reader.GetInt64(1)));
}
