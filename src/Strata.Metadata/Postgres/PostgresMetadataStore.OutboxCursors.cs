namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        return ReadAsync(
            async (connection, token) => await connection
                .Command("SELECT event_id FROM outbox_cursors WHERE consumer = @consumer")
                .With("@consumer", consumer)
                .ScalarAsync<long?>(token).ConfigureAwait(false) ?? 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetOutboxCursorAsync(string consumer, long eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(eventId);

        // The WHERE makes a late write from a slower instance of the consumer a no-op, so the cursor
        // never moves back; the upsert locks the row, so racing writers apply one after the other.
        return WriteAsync(
            (transaction, token) => transaction
                .Command("""
                    INSERT INTO outbox_cursors (consumer, event_id, updated_at) VALUES (@consumer, @eventId, @now)
                    ON CONFLICT (consumer) DO UPDATE SET event_id = excluded.event_id, updated_at = excluded.updated_at
                    WHERE excluded.event_id > outbox_cursors.event_id
                    """)
                .With("@consumer", consumer)
                .With("@eventId", eventId)
                .With("@now", NowMilliseconds())
                .ExecuteAsync(token),
            cancellationToken);
    }
}
