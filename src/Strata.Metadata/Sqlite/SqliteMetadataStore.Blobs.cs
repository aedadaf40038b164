using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Oci.Digests;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public async Task<BlobRecord?> GetBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command("SELECT size, created_at FROM blobs WHERE digest = @digest")
            .With("@digest", digest.ToString());
        return await ReadBlobAsync(command, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<BlobRecord?> GetRepositoryBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command("""
                SELECT b.size, b.created_at
                FROM repositories r
                JOIN repository_blobs rb ON rb.repository_id = r.id
                JOIN blobs b ON b.digest = rb.digest
                WHERE r.name = @repository AND rb.digest = @digest
                """)
            .With("@repository", repository)
            .With("@digest", digest.ToString());
        return await ReadBlobAsync(command, digest, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task LinkBlobAsync(string repository, BlobRecord blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return WriteAsync(
            transaction =>
            {
                var repositoryId = EnsureRepository(transaction, repository);
                var digest = blob.Digest.ToString();

                // A blob row is immutable once written: the digest fixes the bytes, so the first size and time stand.
                transaction.Execute(
                    "INSERT INTO blobs (digest, size, created_at) VALUES (@digest, @size, @createdAt) ON CONFLICT (digest) DO NOTHING",
                    ("@digest", digest),
                    ("@size", blob.Size),
                    ("@createdAt", UnixMilliseconds.From(blob.CreatedAt)));

                // GC is deleting these bytes: linking them now would point at nothing (the caller waits and stores them again).
                if (transaction.Scalar("SELECT deleting_since FROM blobs WHERE digest = @digest", ("@digest", digest)) is long)
                {
                    throw new BlobBeingDeletedException(blob.Digest);
                }

                // A link renewed by a new push gets a new grace period (GC prunes links no manifest references once they are older).
                transaction.Execute(
                    """
                    INSERT INTO repository_blobs (repository_id, digest, created_at) VALUES (@repository, @digest, @now)
                    ON CONFLICT (repository_id, digest) DO UPDATE SET created_at = excluded.created_at
                    """,
                    ("@repository", repositoryId),
                    ("@digest", digest),
                    ("@now", NowMilliseconds()));
                QueueBlobReview(transaction, digest, "blob.linked");
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                // The blob row stays: other repositories may link it, and GC decides when its bytes go.
                var removed = transaction.Execute(
                    """
                    DELETE FROM repository_blobs
                    WHERE repository_id = (SELECT id FROM repositories WHERE name = @repository) AND digest = @digest
                    """,
                    ("@repository", repository),
                    ("@digest", digest.ToString()));
                if (removed == 0)
                {
                    return false;
                }

                AppendEvent(transaction, OutboxEventKinds.BlobUnlinked, repository, digest.ToString(), tag: null, mediaType: null);
                QueueBlobReview(transaction, digest.ToString(), "blob.unlinked");
                return true;
            },
            cancellationToken);

    private static async Task<BlobRecord?> ReadBlobAsync(SqliteCommand command, Digest digest, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new BlobRecord(digest, reader.GetInt64(0), UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(1)));
    }
}
