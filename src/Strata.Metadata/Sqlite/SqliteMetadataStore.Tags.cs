using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, string? last, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        // Keyset pagination over the (repository_id, name) primary key: each page is one index range
        // scan, however deep. Two statements for the same reason as ListRepositoriesAsync.
        var sql = $"""
            SELECT t.name
            FROM repositories r
            JOIN tags t ON t.repository_id = r.id
            WHERE r.name = @repository {(last is null ? "" : "AND t.name > @last")}
            ORDER BY t.name
            LIMIT @limit
            """;
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command(sql)
            .With("@repository", repository)
            .With("@last", last)
            .With("@limit", limit);
        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                using var find = transaction
                    .Command("""
                        SELECT r.id, m.digest, m.media_type
                        FROM repositories r
                        JOIN tags t ON t.repository_id = r.id
                        JOIN manifests m ON m.id = t.manifest_id
                        WHERE r.name = @repository AND t.name = @tag
                        """)
                    .With("@repository", repository)
                    .With("@tag", tag);
                long repositoryId;
                string digest;
                string mediaType;
                using (var reader = find.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    repositoryId = reader.GetInt64(0);
                    digest = reader.GetString(1);
                    mediaType = reader.GetString(2);
                }

                transaction.Execute(
                    "DELETE FROM tags WHERE repository_id = @repository AND name = @tag",
                    ("@repository", repositoryId),
                    ("@tag", tag));
                AppendEvent(transaction, OutboxEventKinds.TagDeleted, repository, digest, tag, mediaType);
                QueueManifestReview(transaction, repositoryId, digest, "tag.deleted");
                return true;
            },
            cancellationToken);

    /// <summary>Points the tag at the manifest; a TagSet event only when the tag is created or moved.</summary>
    private void SetTag(SqliteTransaction transaction, long repositoryId, string tag, long manifestId, ManifestRecord manifest)
    {
        var current = transaction.Scalar(
            "SELECT manifest_id FROM tags WHERE repository_id = @repository AND name = @tag",
            ("@repository", repositoryId),
            ("@tag", tag)) as long?;
        if (current == manifestId)
        {
            return;
        }

        var sql = current is null
            ? "INSERT INTO tags (repository_id, name, manifest_id, updated_at) VALUES (@repository, @tag, @manifest, @now)"
            : "UPDATE tags SET manifest_id = @manifest, updated_at = @now WHERE repository_id = @repository AND name = @tag";
        transaction.Execute(
            sql,
            ("@repository", repositoryId),
            ("@tag", tag),
            ("@manifest", manifestId),
            ("@now", NowMilliseconds()));
        AppendEvent(transaction, OutboxEventKinds.TagSet, manifest.Repository, manifest.Digest.ToString(), tag, manifest.MediaType);
        if (current is { } previous)
        {
            QueueManifestReviewById(transaction, previous, "tag.moved");
        }
    }
}
