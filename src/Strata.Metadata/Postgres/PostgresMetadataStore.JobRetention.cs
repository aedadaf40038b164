namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One short transaction per call, bounded by <paramref name="limit"/>: candidates from
    /// <c>ix_jobs_ended</c>, the "newer job of this key" probe from <c>ix_jobs_kind_key</c>. Rows another
    /// transaction holds are skipped (<c>SKIP LOCKED</c>), so replicas pruning at the same time
    /// neither wait for each other nor for a worker.
    /// </remarks>
    public Task<int> PruneEndedJobsAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return Task.FromResult(0);
        }

        var cutoff = ToMilliseconds(endedBefore);
        return WriteAsync(
            (transaction, token) => transaction
                .Command("""
                    DELETE FROM jobs WHERE id IN (
                        SELECT old.id FROM jobs AS old
                        WHERE old.state IN (2, 3) AND old.updated_at < @cutoff
                          AND EXISTS (SELECT 1 FROM jobs AS newer WHERE newer.kind = old.kind AND newer.key = old.key AND newer.id > old.id)
                        LIMIT @limit
                        FOR UPDATE SKIP LOCKED)
                    """)
                .With("@cutoff", cutoff)
                .With("@limit", limit)
                .ExecuteAsync(token),
            cancellationToken);
    }
}
