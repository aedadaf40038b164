namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One short write transaction per call (the caller bounds it with <paramref name="limit"/>), so
    /// pushes are never held behind a long delete; candidates come from <c>ix_jobs_ended</c>, the
    /// "is there a newer job of this key" probe from <c>ix_jobs_kind_key</c>.
    /// </remarks>
    public Task<int> PruneEndedJobsAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return Task.FromResult(0);
        }

        var cutoff = UnixMilliseconds.From(endedBefore);
        return WriteAsync(
            transaction => transaction.Execute(
                """
                DELETE FROM jobs WHERE id IN (
                    SELECT old.id FROM jobs AS old
                    WHERE old.state IN (2, 3) AND old.updated_at < @cutoff
                      AND EXISTS (SELECT 1 FROM jobs AS newer WHERE newer.kind = old.kind AND newer.key = old.key AND newer.id > old.id)
                    LIMIT @limit)
                """,
                ("@cutoff", cutoff),
                ("@limit", limit)),
            cancellationToken);
    }
}
