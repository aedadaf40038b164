using Npgsql;
using Strata.Metadata.Postgres;

namespace Strata.Metadata.Tests.Postgres;

/// <summary>What <see cref="PostgresRetryPolicy"/> retries, and its bounds; no server needed.</summary>
public sealed class PostgresRetryPolicyTests
{
    private static readonly PostgresRetryPolicy Fast = new(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    public async Task Transient_errors_are_retried_until_the_work_succeeds(string sqlState)
    {
        var calls = 0;

        var result = await Fast.ExecuteAsync("Op", _ => ++calls < 3 ? throw Error(sqlState) : Task.FromResult(42), CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_broken_connection_is_retried()
    {
        var calls = 0;

        await Fast.ExecuteAsync("Op", _ => ++calls < 2 ? throw new NpgsqlException("broken", new IOException("reset")) : Task.FromResult(0), CancellationToken.None);

        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.UndefinedTable)]
    [InlineData(PostgresErrorCodes.QueryCanceled)]
    public async Task Other_errors_surface_at_once(string sqlState)
    {
        var calls = 0;

        var error = await Assert.ThrowsAsync<PostgresException>(() => Fast.ExecuteAsync<int>("Op", _ => { calls++; throw Error(sqlState); }, CancellationToken.None));

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task After_the_last_attempt_the_error_surfaces_as_MetadataStoreUnavailableException()
    {
        var calls = 0;

        var error = await Assert.ThrowsAsync<MetadataStoreUnavailableException>(
            () => Fast.ExecuteAsync<int>("PutManifestAsync", _ => { calls++; throw Error(PostgresErrorCodes.AdminShutdown); }, CancellationToken.None));

        Assert.Equal(Fast.MaxAttempts, calls);
        Assert.Equal(PostgresErrorCodes.AdminShutdown, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.StartsWith("The PostgreSQL metadata store is unavailable: PutManifestAsync failed 4 time(s)", error.Message, StringComparison.Ordinal);
        Assert.False(error.OutcomeUnknown);
    }

    [Fact]
    public async Task No_attempt_starts_after_the_time_budget()
    {
        var policy = new PostgresRetryPolicy(100, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        var calls = 0;

        await Assert.ThrowsAsync<MetadataStoreUnavailableException>(
            () => policy.ExecuteAsync<int>("Op", _ => { calls++; throw Error(PostgresErrorCodes.DeadlockDetected); }, CancellationToken.None));

        Assert.InRange(calls, 2, 10);
    }

    [Fact]
    public async Task Cancellation_stops_the_retries_and_the_error_surfaces_as_is()
    {
        using var cancellation = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAsync<PostgresException>(() => Fast.ExecuteAsync<int>(
            "Op",
            _ =>
            {
                calls++;
                cancellation.Cancel();
                throw Error(PostgresErrorCodes.DeadlockDetected);
            },
            cancellation.Token));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Delays_grow_exponentially_with_jitter_up_to_the_cap()
    {
        var policy = PostgresRetryPolicy.Default;

        Assert.InRange(policy.DelayBefore(2).TotalMilliseconds, 37.5, 62.5);
        Assert.InRange(policy.DelayBefore(3).TotalMilliseconds, 75, 125);
        Assert.InRange(policy.DelayBefore(4).TotalMilliseconds, 150, 250);
        Assert.InRange(policy.DelayBefore(30).TotalMilliseconds, 750, 1250);
    }

    private static PostgresException Error(string sqlState) => new("simulated", "ERROR", "ERROR", sqlState);
}
