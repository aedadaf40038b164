using Npgsql;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <summary>
    /// The first key of the two-key advisory lock form ("Stra"), whose key space is separate from the
    /// one-key form the migration and outbox locks use; the second key is <c>hashtext(name)</c>.
    /// </summary>
    private const int LeadershipLockClass = 0x5374_7261;

    /// <summary>
    /// Tries to become the one replica that does <paramref name="name"/> (e.g. dispatching the
    /// outbox): a session-level advisory lock on a connection of its own. Null when another replica
    /// holds it. Does not wait.
    /// </summary>
    public async Task<PostgresLeadership?> TryAcquireLeadershipAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfNotReady();
        return await _retry.ExecuteAsync<PostgresLeadership?>(
            nameof(TryAcquireLeadershipAsync),
            async token =>
            {
                var connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                try
                {
                    var acquired = await connection.Command("SELECT pg_try_advisory_lock(@class, hashtext(@name))")
                        .With("@class", LeadershipLockClass)
                        .With("@name", name)
                        .ScalarAsync<bool>(token).ConfigureAwait(false);
                    if (acquired)
                    {
                        return new PostgresLeadership(connection, name);
                    }
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
