using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxEvent>> ReadEventsAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command("""
                SELECT id, kind, repository, digest, tag, media_type, created_at
                FROM outbox WHERE id > @after ORDER BY id LIMIT @limit
                """)
            .With("@after", afterId)
            .With("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var events = new List<OutboxEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new OutboxEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(6))));
        }

        return events;
    }

    /// <summary>Writes an event in the caller's transaction, so it exists exactly when the change does.</summary>
    private void AppendEvent(SqliteTransaction transaction, string kind, string repository, string? digest, string? tag, string? mediaType) =>
        transaction.Execute(
            """
            INSERT INTO outbox (kind, repository, digest, tag, media_type, created_at)
            VALUES (@kind, @repository, @digest, @tag, @mediaType, @now)
            """,
            ("@kind", kind),
            ("@repository", repository),
            ("@digest", digest),
            ("@tag", tag),
            ("@mediaType", mediaType),
            ("@now", NowMilliseconds()));
}
