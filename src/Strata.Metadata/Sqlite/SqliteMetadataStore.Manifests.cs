using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public async Task<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command("""
                SELECT m.digest, m.media_type, m.size, m.artifact_type, m.subject_digest, m.annotations_json, m.created_at, m.content
                FROM repositories r
                JOIN manifests m ON m.repository_id = r.id
                WHERE r.name = @repository AND m.digest = @digest
                """)
            .With("@repository", repository)
            .With("@digest", digest.ToString());
        return await ReadSingleManifestAsync(command, repository, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ManifestRecord?> GetManifestByTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command("""
                SELECT m.digest, m.media_type, m.size, m.artifact_type, m.subject_digest, m.annotations_json, m.created_at, m.content
                FROM repositories r
                JOIN tags t ON t.repository_id = r.id
                JOIN manifests m ON m.id = t.manifest_id
                WHERE r.name = @repository AND t.name = @tag
                """)
            .With("@repository", repository)
            .With("@tag", tag);
        return await ReadSingleManifestAsync(command, repository, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        // Content is left out: the referrers API only needs descriptors, and manifests can be megabytes.
        var sql = $"""
            SELECT m.digest, m.media_type, m.size, m.artifact_type, m.subject_digest, m.annotations_json, m.created_at
            FROM repositories r
            JOIN manifests m ON m.repository_id = r.id
            WHERE r.name = @repository AND m.subject_digest = @subject
            {(artifactType is null ? "" : "AND m.artifact_type = @artifactType")}
            ORDER BY m.digest
            """;
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command(sql)
            .With("@repository", repository)
            .With("@subject", subject.ToString())
            .With("@artifactType", artifactType);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var referrers = new List<ManifestRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            referrers.Add(ReadManifest(reader, repository, content: []));
        }

        return referrers;
    }

    /// <inheritdoc />
    public Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                using var find = transaction
                    .Command("""
                        SELECT m.id, m.media_type
                        FROM repositories r
                        JOIN manifests m ON m.repository_id = r.id
                        WHERE r.name = @repository AND m.digest = @digest
                        """)
                    .With("@repository", repository)
                    .With("@digest", digest.ToString());
                long manifestId;
                string mediaType;
                using (var reader = find.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    manifestId = reader.GetInt64(0);
                    mediaType = reader.GetString(1);
                }

                // Each removed tag gets its own event, so consumers (publication) need not know
                // which tags pointed here.
                var removedTags = new List<string>();
                using (var tags = transaction.Command("SELECT name FROM tags WHERE manifest_id = @id ORDER BY name").With("@id", manifestId))
                using (var reader = tags.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        removedTags.Add(reader.GetString(0));
                    }
                }

                // Children first: foreign keys (no cascades, so every removal is visible here) forbid the reverse.
                transaction.Execute("DELETE FROM tags WHERE manifest_id = @id", ("@id", manifestId));
                foreach (var tag in removedTags)
                {
                    AppendEvent(transaction, OutboxEventKinds.TagDeleted, repository, digest.ToString(), tag, mediaType);
                }

                QueueManifestContentReviews(transaction, manifestId, "manifest.deleted");
                transaction.Execute("DELETE FROM manifest_blob_references WHERE manifest_id = @id", ("@id", manifestId));
                transaction.Execute("DELETE FROM manifest_manifest_references WHERE manifest_id = @id", ("@id", manifestId));
                transaction.Execute("DELETE FROM manifests WHERE id = @id", ("@id", manifestId));
                AppendEvent(transaction, OutboxEventKinds.ManifestDeleted, repository, digest.ToString(), tag: null, mediaType);
                return true;
            },
            cancellationToken);

    private static async Task<ManifestRecord?> ReadSingleManifestAsync(SqliteCommand command, string repository, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return ReadManifest(reader, repository, (byte[])reader.GetValue(7));
    }

    /// <summary>Maps the first seven columns (digest … created_at) of the manifest queries above.</summary>
    private static ManifestRecord ReadManifest(SqliteDataReader reader, string repository, byte[] content) =>
        new(
            repository,
            Digest.Parse(reader.GetString(0)),
            reader.GetString(1),
            reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : Digest.Parse(reader.GetString(4)),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            content,
            UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(6)));
}
