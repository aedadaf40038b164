using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    // Every state change runs in the store's serialized IMMEDIATE write transaction, so "find the oldest
    // due job, then lease it" is atomic across workers and across store instances on the same file: no
    // row locking (FOR UPDATE SKIP LOCKED) is needed, unlike in a PostgreSQL store.

    // Literal state values in SQL, so the planner can match the partial indexes' WHERE clauses.
    private const int QueuedState = (int)JobState.Queued;
    private const int RunningState = (int)JobState.Running;

    // Two UNION ALL terms per kind (LeaseCandidateSql) against SQLite's default limit of 500 terms;
    // a worker serves a handful of kinds.
    private const int MaxLeaseKinds = 200;

    private const string JobColumns =
        "id, kind, key, payload, state, attempts, not_before, lease_owner, lease_until, error, result, created_at, updated_at";

    /// <inheritdoc />
    public Task<long> EnqueueAsync(string kind, string key, string payload, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(payload);
        return WriteAsync(transaction => Enqueue(transaction, kind, key, payload, UnixMilliseconds.From(notBefore)), cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord?> LeaseAsync(IReadOnlyCollection<string> kinds, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ThrowIfBelowPrecision(leaseDuration);
        var distinctKinds = kinds.Distinct(StringComparer.Ordinal).ToArray();
        if (distinctKinds.Length == 0)
        {
            return Task.FromResult<JobRecord?>(null);
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(distinctKinds.Length, MaxLeaseKinds, nameof(kinds));

        return WriteAsync(transaction => Lease(transaction, distinctKinds, owner, leaseDuration), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RenewAsync(long id, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ThrowIfBelowPrecision(leaseDuration);
        return WriteAsync(
            transaction =>
            {
                var now = NowMilliseconds();
                return transaction.Execute(
                    $"""
                    UPDATE jobs SET lease_until = @until, updated_at = @now
                    WHERE id = @id AND state = {RunningState} AND lease_owner = @owner
                    """,
                    ("@id", id),
                    ("@owner", owner),
                    ("@until", now + (long)leaseDuration.TotalMilliseconds),
                    ("@now", now)) > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(long id, string owner, string? result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync(transaction => End(transaction, id, owner, JobState.Succeeded, result, error: null), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> FailAsync(long id, string owner, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(error);
        if (retryAt is null)
        {
            return WriteAsync(transaction => End(transaction, id, owner, JobState.Failed, result: null, error), cancellationToken);
        }

        var retryAtMilliseconds = UnixMilliseconds.From(retryAt.Value);
        return WriteAsync(
            transaction => transaction.Execute(
                // Back in the queue, so a pending follow-up applies as an enqueue onto a queued job would.
                $"""
                UPDATE jobs SET
                    state = {QueuedState},
                    error = @error,
                    payload = COALESCE(pending_payload, payload),
                    not_before = MIN(@retryAt, COALESCE(pending_not_before, @retryAt)),
                    lease_owner = NULL, lease_until = NULL,
                    pending_payload = NULL, pending_not_before = NULL,
                    updated_at = @now
                WHERE id = @id AND state = {RunningState} AND lease_owner = @owner
                """,
                ("@id", id),
                ("@owner", owner),
                ("@error", error),
                ("@retryAt", retryAtMilliseconds),
                ("@now", NowMilliseconds())) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<JobRecord?> GetJobAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command($"SELECT {JobColumns} FROM jobs WHERE id = @id")
            .With("@id", id);
        var jobs = await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc />
    public async Task<JobRecord?> GetLatestJobAsync(string kind, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command($"SELECT {JobColumns} FROM jobs WHERE kind = @kind AND key = @key ORDER BY id DESC LIMIT 1")
            .With("@kind", kind)
            .With("@key", key);
        var jobs = await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(string kind, JobState? state, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        var sql = $"""
            SELECT {JobColumns} FROM jobs
            WHERE kind = @kind {(state is null ? "" : "AND state = @state")}
            ORDER BY id DESC
            LIMIT @limit
            """;
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command(sql)
            .With("@kind", kind)
            .With("@state", state is null ? null : (int)state.Value)
            .With("@limit", limit);
        return await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The id of the oldest due job of the kinds bound as <c>@kind0</c>…: one probe per kind and index,
    /// each a seek into <c>ix_jobs_queued</c> (already in not_before order) or <c>ix_jobs_leases</c>
    /// (only the few expired leases get sorted), then the best of those few rows. An <c>IN</c> over
    /// the kinds would instead read and sort every queued job of those kinds, due or not.
    /// </summary>
    internal static string LeaseCandidateSql(int kindCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kindCount);
        var probes = Enumerable.Range(0, kindCount).SelectMany(i => new[]
        {
            $"""
            SELECT * FROM (
                SELECT id, not_before FROM jobs
                WHERE state = {QueuedState} AND kind = @kind{i} AND not_before <= @now
                ORDER BY not_before, id LIMIT 1)
            """,
            $"""
            SELECT * FROM (
                SELECT id, not_before FROM jobs
                WHERE state = {RunningState} AND kind = @kind{i} AND lease_until <= @now
                ORDER BY not_before, id LIMIT 1)
            """,
        });
        return $"""
            {string.Join("\nUNION ALL\n", probes)}
            ORDER BY not_before, id
            LIMIT 1
            """;
    }

    private long Enqueue(SqliteTransaction transaction, string kind, string key, string payload, long notBefore)
    {
        long id;
        JobState state;
        string activePayload;
        string? pendingPayload;
        using (var find = transaction
            .Command($"""
                SELECT id, state, payload, pending_payload FROM jobs
                WHERE kind = @kind AND key = @key AND state IN ({QueuedState}, {RunningState})
                """)
            .With("@kind", kind)
            .With("@key", key))
        using (var reader = find.ExecuteReader())
        {
            if (!reader.Read())
            {
                return InsertJob(transaction, kind, key, payload, notBefore);
            }

            id = reader.GetInt64(0);
            state = (JobState)reader.GetInt32(1);
            activePayload = reader.GetString(2);
            pendingPayload = reader.IsDBNull(3) ? null : reader.GetString(3);
        }

        if (state == JobState.Queued)
        {
            transaction.Execute(
                "UPDATE jobs SET payload = @payload, not_before = MIN(not_before, @notBefore), updated_at = @now WHERE id = @id",
                ("@id", id),
                ("@payload", payload),
                ("@notBefore", notBefore),
                ("@now", NowMilliseconds()));
            return id;
        }

        // Running. The worker already serves its own payload; anything else (a tag moved during a
        // publication) must run after it, so it waits as the follow-up, the newest request winning.
        if (pendingPayload is null && string.Equals(payload, activePayload, StringComparison.Ordinal))
        {
            return id;
        }

        transaction.Execute(
            """
            UPDATE jobs SET
                pending_payload = @payload,
                pending_not_before = MIN(COALESCE(pending_not_before, @notBefore), @notBefore),
                updated_at = @now
            WHERE id = @id
            """,
            ("@id", id),
            ("@payload", payload),
            ("@notBefore", notBefore),
            ("@now", NowMilliseconds()));
        return id;
    }

    private long InsertJob(SqliteTransaction transaction, string kind, string key, string payload, long notBefore) =>
        (long)transaction.Scalar(
            $"""
            INSERT INTO jobs (kind, key, payload, state, attempts, not_before, created_at, updated_at)
            VALUES (@kind, @key, @payload, {QueuedState}, 0, @notBefore, @now, @now)
            RETURNING id
            """,
            ("@kind", kind),
            ("@key", key),
            ("@payload", payload),
            ("@notBefore", notBefore),
            ("@now", NowMilliseconds()))!;

    private JobRecord? Lease(SqliteTransaction transaction, string[] kinds, string owner, TimeSpan leaseDuration)
    {
        var now = NowMilliseconds();
        using var find = transaction.Command(LeaseCandidateSql(kinds.Length)).With("@now", now);
        for (var i = 0; i < kinds.Length; i++)
        {
            find.With($"@kind{i}", kinds[i]);
        }

        if (find.ExecuteScalar() is not long id)
        {
            return null;
        }

        // A job taken over from an expired lease went back to the queue in effect, so a follow-up
        // that arrived meanwhile applies now (for a queued job there is never one).
        using var lease = transaction
            .Command($"""
                UPDATE jobs SET
                    state = {RunningState},
                    attempts = attempts + 1,
                    lease_owner = @owner,
                    lease_until = @until,
                    payload = COALESCE(pending_payload, payload),
                    pending_payload = NULL, pending_not_before = NULL,
                    updated_at = @now
                WHERE id = @id
                RETURNING {JobColumns}
                """)
            .With("@id", id)
            .With("@owner", owner)
            .With("@until", now + (long)leaseDuration.TotalMilliseconds)
            .With("@now", now);
        using var reader = lease.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    }

    /// <summary>Ends a job the owner holds, then queues its follow-up, if one is pending.</summary>
    private bool End(SqliteTransaction transaction, long id, string owner, JobState state, string? result, string? error)
    {
        string kind;
        string key;
        string? pendingPayload;
        long pendingNotBefore;
        using (var find = transaction
            .Command($"""
                SELECT kind, key, pending_payload, pending_not_before FROM jobs
                WHERE id = @id AND state = {RunningState} AND lease_owner = @owner
                """)
            .With("@id", id)
            .With("@owner", owner))
        using (var reader = find.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }

            kind = reader.GetString(0);
            key = reader.GetString(1);
            pendingPayload = reader.IsDBNull(2) ? null : reader.GetString(2);
            pendingNotBefore = reader.IsDBNull(3) ? 0 : reader.GetInt64(3);
        }

        // COALESCE keeps an earlier attempt's error on success (see IJobQueue.CompleteAsync); result is
        // only ever written here, so it is null before.
        transaction.Execute(
            """
            UPDATE jobs SET
                state = @state,
                result = @result,
                error = COALESCE(@error, error),
                lease_owner = NULL, lease_until = NULL,
                pending_payload = NULL, pending_not_before = NULL,
                updated_at = @now
            WHERE id = @id
            """,
            ("@id", id),
            ("@state", (int)state),
            ("@result", result),
            ("@error", error),
            ("@now", NowMilliseconds()));

        // After the update, so the unique active-key index sees the ended job as inactive.
        if (pendingPayload is not null)
        {
            InsertJob(transaction, kind, key, pendingPayload, pendingNotBefore);
        }

        return true;
    }

    private static void ThrowIfBelowPrecision(TimeSpan leaseDuration)
    {
        // Timestamps are whole milliseconds; a shorter lease would be expired when granted.
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseDuration, TimeSpan.FromMilliseconds(1));
    }

    private static async Task<List<JobRecord>> ReadJobsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    }

    /// <summary>Reads a row selected as <see cref="JobColumns"/>.</summary>
    private static JobRecord ReadJob(SqliteDataReader reader) =>
        new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            (JobState)reader.GetInt32(4),
            reader.GetInt32(5),
            UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(6)),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(8)),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetString(10),
            UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(11)),
            UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(12)));
}
