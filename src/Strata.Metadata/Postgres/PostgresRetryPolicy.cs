using System.Diagnostics;
using Npgsql;

namespace Strata.Metadata.Postgres;

/// <summary>
/// The one place that decides what is retried and for how long. Each attempt runs a whole unit of
/// work (a read, or a write transaction) on a fresh pooled connection, so a retry never continues a
/// transaction the server already rolled back.
/// </summary>
/// <remarks>
/// <para>
/// Retried: <see cref="NpgsqlException.IsTransient"/> (broken or refused connections, I/O errors,
/// timeouts, admin shutdown or crash of the server, too many connections, lock timeouts) and, named
/// explicitly because the locking design relies on them, serialization failures (40001) and deadlocks
/// (40P01). Everything else (constraint violations, bad SQL, cancellation by the caller) surfaces at once.
/// </para>
/// <para>
/// Bounded twice: at most <see cref="MaxAttempts"/> attempts and no new attempt after
/// <see cref="MaxElapsed"/>, with exponential backoff and jitter between them (50 ms, 100 ms, … capped
/// at 1 s: about 2.5 s in all with the defaults, enough to ride out a PostgreSQL restart or a failover,
/// short enough that a request fails fast when the database is really down). Then the last error is
/// wrapped in a <see cref="MetadataStoreUnavailableException"/>.
/// </para>
/// </remarks>
internal sealed class PostgresRetryPolicy
{
    public static readonly PostgresRetryPolicy Default = new(
        maxAttempts: 7,
        baseDelay: TimeSpan.FromMilliseconds(50),
        maxDelay: TimeSpan.FromSeconds(1),
        maxElapsed: TimeSpan.FromSeconds(15));

    public PostgresRetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan maxElapsed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxAttempts);
        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        MaxElapsed = maxElapsed;
    }

    public int MaxAttempts { get; }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan MaxElapsed { get; }

    /// <summary>Errors worth another attempt on a new connection.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the bounds are reached.</summary>
    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (attempts >= MaxAttempts || elapsed >= MaxElapsed)
                {
                    throw new MetadataStoreUnavailableException(
                        $"The PostgreSQL metadata store is unavailable: {operation} failed {attempts} time(s) over {elapsed.TotalMilliseconds:F0} ms with transient errors; the last one: {exception.Message}",
                        exception);
                }

                await Task.Delay(DelayBefore(attempts + 1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Exponential from <see cref="BaseDelay"/>, capped at <see cref="MaxDelay"/>, with ±25 % jitter so replicas do not retry in step.</summary>
    internal TimeSpan DelayBefore(int attempt)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 2, 20));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
