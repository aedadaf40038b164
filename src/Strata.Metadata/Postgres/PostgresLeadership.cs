using Npgsql;

namespace Strata.Metadata.Postgres;

/// <summary>
/// A cluster-wide "only one of us" lock, held by one replica at a time: a session-level advisory
/// lock on a connection this object keeps open. PostgreSQL releases it when the connection ends,
/// so a replica that dies (or loses its connection) hands over without any lease to expire.
/// Dispose to release it.
/// </summary>
/// <remarks>
/// The holder must call <see cref="IsHeldAsync"/> now and then and stop acting as the holder when it
/// returns false: a broken connection means the server has already released the lock to someone else.
/// </remarks>
public sealed class PostgresLeadership : IAsyncDisposable
{
    private const int ProbeTimeoutSeconds = 5;
    private readonly NpgsqlConnection _connection;
    private bool _lost;

    internal PostgresLeadership(NpgsqlConnection connection, string name)
    {
        _connection = connection;
        Name = name;
    }

    /// <summary>What is led, e.g. <c>outbox-dispatch</c>.</summary>
    public string Name { get; }

    /// <summary>True while the lock's connection still answers (one round trip); false for good once it did not.</summary>
    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
    {
        if (_lost)
        {
            return false;
        }

        try
        {
            await _connection.Command("SELECT 1").WithTimeout(ProbeTimeoutSeconds).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            _lost = true;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the session releases its advisory locks; unlocking first only saves the server that
        // work when the connection goes back to the pool instead (it is discarded here).
        try
        {
            if (!_lost)
            {
                await _connection.Command("SELECT pg_advisory_unlock_all()").WithTimeout(ProbeTimeoutSeconds).ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The connection is gone, and the lock with it.
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
