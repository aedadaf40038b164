using Npgsql;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxEvent>> ReadEventsAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        return await ReadAsync(
            (connection, token) => connection
                .Command("""
                    SELECT id, kind, repository, digest, tag, media_type, created_at
                    FROM outbox WHERE id > @after ORDER BY id LIMIT @limit
                    """)
                .With("@after", afterId)
                .With("@limit", limit)
                .ListAsync(
                    reader => new OutboxEvent(
                        reader.GetInt64(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetNullableString(3),
                        reader.GetNullableString(4),
                        reader.GetNullableString(5),
                        FromMilliseconds(reader.GetInt64(6))),
                    token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends the events as the transaction's last statement, so they exist exactly when the change
    /// does, and under the outbox lock, held until commit, so ids become visible in id order (see the
    /// class remarks). Nothing is locked when there is nothing to append.
    /// </summary>
    private async Task AppendEventsAsync(NpgsqlTransaction transaction, IReadOnlyList<PendingOutboxEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        // Both statements in one round trip; WITH ORDINALITY … ORDER BY hands out ids in event order.
        await transaction
            .Command("""
                SELECT pg_advisory_xact_lock(@lock);
                INSERT INTO outbox (kind, repository, digest, tag, media_type, created_at)
                SELECT e.kind, e.repository, e.digest, e.tag, e.media_type, @now
                FROM unnest(@kinds, @repositories, @digests, @tags, @mediaTypes)
                    WITH ORDINALITY AS e (kind, repository, digest, tag, media_type, position)
                ORDER BY e.position
                """)
            .With("@lock", PostgresSchema.OutboxLockKey)
            .With("@now", NowMilliseconds())
            .With("@kinds", events.Select(e => e.Kind).ToArray())
            .With("@repositories", events.Select(e => e.Repository).ToArray())
            .With("@digests", events.Select(e => e.Digest).ToArray())
            .With("@tags", events.Select(e => e.Tag).ToArray())
            .With("@mediaTypes", events.Select(e => e.MediaType).ToArray())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
