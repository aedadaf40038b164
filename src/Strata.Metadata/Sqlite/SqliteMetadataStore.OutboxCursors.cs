namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public async Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command("SELECT event_id FROM outbox_cursors WHERE consumer = @consumer")
            .With("@consumer", consumer);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long eventId ? eventId : 0;
    }

    /// <inheritdoc />
    public Task SetOutboxCursorAsync(string consumer, long eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(eventId);

        // The WHERE makes a late write from a slower instance of the consumer a no-op, so the cursor
        // never moves back and events already handled are not handed out again.
        return WriteAsync(
            transaction => transaction.Execute(
                """
                INSERT INTO outbox_cursors (consumer, event_id, updated_at) VALUES (@consumer, @eventId, @now)
                ON CONFLICT (consumer) DO UPDATE SET event_id = excluded.event_id, updated_at = excluded.updated_at
                WHERE excluded.event_id > outbox_cursors.event_id
                """,
                ("@consumer", consumer),
                ("@eventId", eventId),
                ("@now", NowMilliseconds())),
            cancellationToken);
    }
}
