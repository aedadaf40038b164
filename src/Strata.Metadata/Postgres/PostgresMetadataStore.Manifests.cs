using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    private const string ManifestColumns = "m.digest, m.media_type, m.size, m.artifact_type, m.subject_digest, m.annotations_json, m.created_at";

    /// <inheritdoc />
    public Task<ManifestRecord?> GetManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection
                .Command($"""
                    SELECT {ManifestColumns}, m.content
                    FROM repositories r
                    JOIN manifests m ON m.repository_id = r.id
                    WHERE r.name = @repository AND m.digest = @digest
                    """)
                .With("@repository", repository)
                .With("@digest", digest.ToString())
                .FirstOrDefaultAsync(reader => ReadManifest(reader, repository, reader.GetFieldValue<byte[]>(7)), token),
            cancellationToken);

    /// <inheritdoc />
    public Task<ManifestRecord?> GetManifestByTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection
                .Command($"""
                    SELECT {ManifestColumns}, m.content
                    FROM repositories r
                    JOIN tags t ON t.repository_id = r.id
                    JOIN manifests m ON m.id = t.manifest_id
                    WHERE r.name = @repository AND t.name = @tag
                    """)
                .With("@repository", repository)
                .With("@tag", tag)
                .FirstOrDefaultAsync(reader => ReadManifest(reader, repository, reader.GetFieldValue<byte[]>(7)), token),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ManifestRecord>> ListReferrersAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        // Content is left out: the referrers API only needs descriptors, and manifests can be megabytes.
        // The repository is a scalar subquery so the referrers index yields digest order (see ListTagsAsync).
        var sql = $"""
            SELECT {ManifestColumns}
            FROM manifests m
            WHERE m.repository_id = (SELECT id FROM repositories WHERE name = @repository) AND m.subject_digest = @subject
            {(artifactType is null ? "" : "AND m.artifact_type = @artifactType")}
            ORDER BY m.digest
            """;
        return ReadAsync<IReadOnlyList<ManifestRecord>>(
            async (connection, token) => await connection.Command(sql)
                .With("@repository", repository)
                .With("@subject", subject.ToString())
                .With("@artifactType", artifactType)
                .ListAsync(reader => ReadManifest(reader, repository, content: []), token).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteManifestAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(
            async (transaction, token) =>
            {
                // FOR UPDATE: a concurrent push that tags this manifest holds it FOR KEY SHARE, so one
                // waits for the other; a push that comes second finds it gone and stores it anew.
                var found = await transaction
                    .Command("""
                        SELECT m.id, m.media_type
                        FROM repositories r
                        JOIN manifests m ON m.repository_id = r.id
                        WHERE r.name = @repository AND m.digest = @digest
                        FOR UPDATE OF m
                        """)
                    .With("@repository", repository)
                    .With("@digest", digest.ToString())
                    .FirstOrDefaultAsync(reader => Tuple.Create(reader.GetInt64(0), reader.GetString(1)), token).ConfigureAwait(false);
                if (found is null)
                {
                    return false;
                }

                var (manifestId, mediaType) = found;
                await QueueManifestContentReviewsAsync(transaction, manifestId, "manifest.deleted", token).ConfigureAwait(false);

                // One round trip. The foreign keys (no cascades, so every removal is spelled out here) are
                // checked at the end of the statement, when the rows pointing at the manifest are gone too.
                var removedTags = await transaction
                    .Command("""
                        WITH removed_tags AS (DELETE FROM tags WHERE manifest_id = @id RETURNING name),
                             blob_references AS (DELETE FROM manifest_blob_references WHERE manifest_id = @id),
                             manifest_references AS (DELETE FROM manifest_manifest_references WHERE manifest_id = @id),
                             manifest AS (DELETE FROM manifests WHERE id = @id)
                        SELECT name FROM removed_tags ORDER BY name
                        """)
                    .With("@id", manifestId)
                    .ListAsync(reader => reader.GetString(0), token).ConfigureAwait(false);

                // Each removed tag gets its own event, so consumers (publication) need not know which
                // tags pointed here.
                var events = removedTags
                    .Select(tag => new PendingOutboxEvent(OutboxEventKinds.TagDeleted, repository, digest.ToString(), tag, mediaType))
                    .Append(new PendingOutboxEvent(OutboxEventKinds.ManifestDeleted, repository, digest.ToString(), Tag: null, mediaType))
                    .ToList();
                await AppendEventsAsync(transaction, events, token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>Maps the first seven columns (<see cref="ManifestColumns"/>) of the manifest queries above.</summary>
    private static ManifestRecord ReadManifest(NpgsqlDataReader reader, string repository, byte[] content) =>
        new(
            repository,
            Digest.Parse(reader.GetString(0)),
            reader.GetString(1),
            reader.GetInt64(2),
            reader.GetNullableString(3),
            reader.IsDBNull(4) ? null : Digest.Parse(reader.GetString(4)),
            reader.GetNullableString(5),
            content,
            FromMilliseconds(reader.GetInt64(6)));
}
