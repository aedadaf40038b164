using Npgsql;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
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
        // scan that stops after @limit rows, however deep. The repository is a scalar subquery rather
        // than a join: joined, the planner cannot tell the rows come from one repository, so it reads
        // every tag after @last and sorts them. Two statements for the same reason as ListRepositoriesAsync.
        var sql = $"""
            SELECT name FROM tags
            WHERE repository_id = (SELECT id FROM repositories WHERE name = @repository)
            {(last is null ? "" : "AND name > @last")}
            ORDER BY name
            LIMIT @limit
            """;
        return await ReadAsync(
            (connection, token) => connection.Command(sql)
                .With("@repository", repository)
                .With("@last", last)
                .With("@limit", limit)
                .ListAsync(reader => reader.GetString(0), token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        WriteAsync(
            async (transaction, token) =>
            {
                var deleted = await transaction
                    .Command("""
                        WITH deleted AS (
                            DELETE FROM tags t
                            USING repositories r
                            WHERE t.repository_id = r.id AND r.name = @repository AND t.name = @tag
                            RETURNING t.manifest_id)
                        SELECT m.digest, m.media_type, m.repository_id FROM deleted d JOIN manifests m ON m.id = d.manifest_id
                        """)
                    .With("@repository", repository)
                    .With("@tag", tag)
                    .FirstOrDefaultAsync(reader => Tuple.Create(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), token).ConfigureAwait(false);
                if (deleted is null)
                {
                    return false;
                }

                var (digest, mediaType, repositoryId) = deleted;
                await QueueManifestReviewAsync(transaction, repositoryId, digest, "tag.deleted", token).ConfigureAwait(false);
                await AppendEventsAsync(
                    transaction,
                    [new PendingOutboxEvent(OutboxEventKinds.TagDeleted, repository, digest, tag, mediaType)],
                    token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>Points the tags at the manifest; a TagSet event (in input order) for each tag created or moved.</summary>
    private async Task SetTagsAsync(
        NpgsqlTransaction transaction,
        long repositoryId,
        IReadOnlyList<string> tags,
        long manifestId,
        ManifestRecord manifest,
        List<PendingOutboxEvent> events,
        CancellationToken cancellationToken)
    {
        var distinct = tags.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        // Manifests the tags move away from are reviewed; locked (in name order, as the upsert) so no
        // other push moves them in between.
        var previous = (await transaction
            .Command("""
                SELECT manifest_id FROM tags
                WHERE repository_id = @repository AND name = ANY(@tags)
                ORDER BY name
                FOR UPDATE
                """)
            .With("@repository", repositoryId)
            .With("@tags", distinct.ToArray())
            .ListAsync(reader => reader.GetInt64(0), cancellationToken).ConfigureAwait(false))
            .Where(id => id != manifestId)
            .Distinct()
            .ToArray();
        if (previous.Length > 0)
        {
            await QueueManifestReviewsByIdAsync(transaction, previous, "tag.moved", cancellationToken).ConfigureAwait(false);
        }

        // One upsert for all tags. The WHERE leaves a tag that already points here untouched, and
        // RETURNING then gives exactly the tags created or moved. Rows are locked in name order, so two
        // pushes sharing tags cannot deadlock each other.
        var changed = (await transaction
            .Command("""
                INSERT INTO tags (repository_id, name, manifest_id, updated_at)
                SELECT @repository, tag, @manifest, @now FROM unnest(@tags) AS tag ORDER BY tag COLLATE "C"
                ON CONFLICT (repository_id, name) DO UPDATE
                SET manifest_id = excluded.manifest_id, updated_at = excluded.updated_at
                WHERE tags.manifest_id <> excluded.manifest_id
                RETURNING name
                """)
            .With("@repository", repositoryId)
            .With("@manifest", manifestId)
            .With("@now", NowMilliseconds())
            .With("@tags", distinct.ToArray())
            .ListAsync(reader => reader.GetString(0), cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);

        var digest = manifest.Digest.ToString();
        foreach (var tag in distinct.Where(changed.Contains))
        {
            events.Add(new PendingOutboxEvent(OutboxEventKinds.TagSet, manifest.Repository, digest, tag, manifest.MediaType));
        }
    }
}
