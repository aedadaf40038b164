using Npgsql;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    // Literal state values in SQL, so the planner can match the partial indexes' WHERE clauses.
    private const int QueuedState = (int)JobState.Queued;
    private const int RunningState = (int)JobState.Running;

    private const string JobColumns =
        "id, kind, key, payload, state, attempts, not_before, lease_owner, lease_until, error, result, created_at, updated_at";

    /// <summary>
    /// The oldest due job of the kinds in <c>@kinds</c>, locked, skipping jobs another transaction has
    /// locked (another worker leasing it this instant, an enqueue updating it): workers on every
    /// replica lease side by side instead of queueing on one row. A due job has not_before ≤ now, also
    /// when it is a running job with an expired lease (see <see cref="PostgresSchema"/>), so the scan of
    /// <c>ix_jobs_due</c> is bounded by what is due and stops at the first job it can take.
    /// </summary>
    internal static readonly string LeaseCandidateSql = $"""
        SELECT id FROM jobs
        WHERE state IN ({QueuedState}, {RunningState}) AND not_before <= @now AND kind = ANY(@kinds)
          AND (state = {QueuedState} OR lease_until <= @now)
        ORDER BY not_before, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """;

    /// <inheritdoc />
    public Task<long> EnqueueAsync(string kind, string key, string payload, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(payload);
        return WriteAsync((transaction, token) => EnqueueAsync(transaction, kind, key, payload, ToMilliseconds(notBefore), token), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<JobRecord?> LeaseAsync(IReadOnlyCollection<string> kinds, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ThrowIfBelowPrecision(leaseDuration);
        var distinctKinds = kinds.Distinct(StringComparer.Ordinal).ToArray();
        if (distinctKinds.Length == 0)
        {
            return null;
        }

        // A job taken over from an expired lease went back to the queue in effect, so a follow-up
        // that arrived meanwhile applies now (for a queued job there is never one).
        return await WriteAsync(
            (transaction, token) =>
            {
                var now = NowMilliseconds();
                return transaction
                    .Command($"""
                        WITH candidate AS ({LeaseCandidateSql})
                        UPDATE jobs SET
                            state = {RunningState},
                            attempts = attempts + 1,
                            lease_owner = @owner,
                            lease_until = @until,
                            payload = COALESCE(pending_payload, payload),
                            pending_payload = NULL, pending_not_before = NULL,
                            updated_at = @now
                        FROM candidate
                        WHERE jobs.id = candidate.id
                        RETURNING {QualifiedJobColumns}
                        """)
                    .With("@now", now)
                    .With("@kinds", distinctKinds)
                    .With("@owner", owner)
                    .With("@until", now + (long)leaseDuration.TotalMilliseconds)
                    .FirstOrDefaultAsync(ReadJob, token);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> RenewAsync(long id, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ThrowIfBelowPrecision(leaseDuration);
        return WriteAsync(
            async (transaction, token) =>
            {
                var now = NowMilliseconds();
                return await transaction
                    .Command($"""
                        UPDATE jobs SET lease_until = @until, updated_at = @now
                        WHERE id = @id AND state = {RunningState} AND lease_owner = @owner
                        """)
                    .With("@id", id)
                    .With("@owner", owner)
                    .With("@until", now + (long)leaseDuration.TotalMilliseconds)
                    .With("@now", now)
                    .ExecuteAsync(token).ConfigureAwait(false) > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(long id, string owner, string? result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync((transaction, token) => EndAsync(transaction, id, owner, JobState.Succeeded, result, error: null, token), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> FailAsync(long id, string owner, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(error);
        if (retryAt is null)
        {
            return WriteAsync((transaction, token) => EndAsync(transaction, id, owner, JobState.Failed, result: null, error, token), cancellationToken);
        }

        var retryAtMilliseconds = ToMilliseconds(retryAt.Value);
        return WriteAsync(
            async (transaction, token) => await transaction
                // Back in the queue, so a pending follow-up applies as an enqueue onto a queued job would.
                .Command($"""
                    UPDATE jobs SET
                        state = {QueuedState},
                        error = @error,
                        payload = COALESCE(pending_payload, payload),
                        not_before = LEAST(@retryAt, COALESCE(pending_not_before, @retryAt)),
                        lease_owner = NULL, lease_until = NULL,
                        pending_payload = NULL, pending_not_before = NULL,
                        updated_at = @now
                    WHERE id = @id AND state = {RunningState} AND lease_owner = @owner
                    """)
                .With("@id", id)
                .With("@owner", owner)
                .With("@error", error)
                .With("@retryAt", retryAtMilliseconds)
                .With("@now", NowMilliseconds())
                .ExecuteAsync(token).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord?> GetJobAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection
                .Command($"SELECT {JobColumns} FROM jobs WHERE id = @id")
                .With("@id", id)
                .FirstOrDefaultAsync(ReadJob, token),
            cancellationToken);

    /// <inheritdoc />
    public Task<JobRecord?> GetLatestJobAsync(string kind, string key, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection
                .Command($"SELECT {JobColumns} FROM jobs WHERE kind = @kind AND key = @key ORDER BY id DESC LIMIT 1")
                .With("@kind", kind)
                .With("@key", key)
                .FirstOrDefaultAsync(ReadJob, token),
            cancellationToken);

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
        return await ReadAsync(
            (connection, token) => connection.Command(sql)
                .With("@kind", kind)
                .With("@state", state is null ? 0 : (int)state.Value)
                .With("@limit", limit)
                .ListAsync(ReadJob, token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary><see cref="JobColumns"/> qualified for the lease's UPDATE … FROM, where <c>id</c> alone is ambiguous.</summary>
    private static string QualifiedJobColumns => string.Join(", ", JobColumns.Split(", ").Select(column => "jobs." + column));

    private async Task<long> EnqueueAsync(NpgsqlTransaction transaction, string kind, string key, string payload, long notBefore, CancellationToken cancellationToken)
    {
        // Racing enqueues of one key meet on the unique active-key index: the loser's INSERT waits for
        // the winner's commit, does nothing, and the next round finds (and locks) the winner's job.
        // A round also repeats when the locked job ended meanwhile (READ COMMITTED re-checks the WHERE).
        for (var round = 0; round < 5; round++)
        {
            var active = await transaction
                .Command($"""
                    SELECT id, state, payload, pending_payload FROM jobs
                    WHERE kind = @kind AND key = @key AND state IN ({QueuedState}, {RunningState})
                    FOR UPDATE
                    """)
                .With("@kind", kind)
                .With("@key", key)
                .FirstOrDefaultAsync(
                    reader => Tuple.Create(reader.GetInt64(0), (JobState)reader.GetInt32(1), reader.GetString(2), reader.GetNullableString(3)),
                    cancellationToken).ConfigureAwait(false);
            if (active is null)
            {
                var inserted = await InsertJobAsync(transaction, kind, key, payload, notBefore, onConflictDoNothing: true, cancellationToken).ConfigureAwait(false);
                if (inserted is { } newId)
                {
                    return newId;
                }

                continue;
            }

            var (id, state, activePayload, pendingPayload) = active;
            if (state == JobState.Queued)
            {
                await transaction
                    .Command("UPDATE jobs SET payload = @payload, not_before = LEAST(not_before, @notBefore), updated_at = @now WHERE id = @id")
                    .With("@id", id)
                    .With("@payload", payload)
                    .With("@notBefore", notBefore)
                    .With("@now", NowMilliseconds())
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                return id;
            }

            // Running. The worker already serves its own payload; anything else (a tag moved during a
            // publication) must run after it, so it waits as the follow-up, the newest request winning.
            if (pendingPayload is null && string.Equals(payload, activePayload, StringComparison.Ordinal))
            {
                return id;
            }

            await transaction
                .Command("""
                    UPDATE jobs SET
                        pending_payload = @payload,
                        pending_not_before = LEAST(COALESCE(pending_not_before, @notBefore), @notBefore),
                        updated_at = @now
                    WHERE id = @id
                    """)
                .With("@id", id)
                .With("@payload", payload)
                .With("@notBefore", notBefore)
                .With("@now", NowMilliseconds())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return id;
        }

        throw new InvalidOperationException($"Job ({kind}, {key}) could neither be found nor queued (concurrent changes).");
    }

    /// <summary>Inserts a queued job; with <paramref name="onConflictDoNothing"/>, null when the key already has an active job.</summary>
    private Task<long?> InsertJobAsync(
        NpgsqlTransaction transaction,
        string kind,
        string key,
        string payload,
        long notBefore,
        bool onConflictDoNothing,
        CancellationToken cancellationToken) =>
        transaction
            .Command($"""
                INSERT INTO jobs (kind, key, payload, state, attempts, not_before, created_at, updated_at)
                VALUES (@kind, @key, @payload, {QueuedState}, 0, @notBefore, @now, @now)
                {(onConflictDoNothing ? $"ON CONFLICT (kind, key) WHERE state IN ({QueuedState}, {RunningState}) DO NOTHING" : "")}
                RETURNING id
                """)
            .With("@kind", kind)
            .With("@key", key)
            .With("@payload", payload)
            .With("@notBefore", notBefore)
            .With("@now", NowMilliseconds())
            .ScalarAsync<long?>(cancellationToken);

    /// <summary>Ends a job the owner holds, then queues its follow-up, if one is pending.</summary>
    private async Task<bool> EndAsync(
        NpgsqlTransaction transaction,
        long id,
        string owner,
        JobState state,
        string? result,
        string? error,
        CancellationToken cancellationToken)
    {
        // FOR UPDATE: an enqueue of this key waits, then sees the job ended and finds the follow-up.
        var held = await transaction
            .Command($"""
                SELECT kind, key, pending_payload, pending_not_before FROM jobs
                WHERE id = @id AND state = {RunningState} AND lease_owner = @owner
                FOR UPDATE
                """)
            .With("@id", id)
            .With("@owner", owner)
            .FirstOrDefaultAsync(
                reader => Tuple.Create(reader.GetString(0), reader.GetString(1), reader.GetNullableString(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3)),
                cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return false;
        }

        var (kind, key, pendingPayload, pendingNotBefore) = held;

        // COALESCE keeps an earlier attempt's error on success (see IJobQueue.CompleteAsync); result is
        // only ever written here, so it is null before.
        await transaction
            .Command("""
                UPDATE jobs SET
                    state = @state,
                    result = @result,
                    error = COALESCE(@error, error),
                    lease_owner = NULL, lease_until = NULL,
                    pending_payload = NULL, pending_not_before = NULL,
                    updated_at = @now
                WHERE id = @id
                """)
            .With("@id", id)
            .With("@state", (int)state)
            .With("@result", result)
            .With("@error", error)
            .With("@now", NowMilliseconds())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);

        // After the update, so the unique active-key index sees the ended job as inactive. No conflict
        // is possible: while this job was active no other job of its key could be.
        if (pendingPayload is not null)
        {
            await InsertJobAsync(transaction, kind, key, pendingPayload, pendingNotBefore, onConflictDoNothing: false, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static void ThrowIfBelowPrecision(TimeSpan leaseDuration)
    {
        // Timestamps are whole milliseconds; a shorter lease would be expired when granted.
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseDuration, TimeSpan.FromMilliseconds(1));
    }

    /// <summary>Reads a row selected as <see cref="JobColumns"/>.</summary>
    private static JobRecord ReadJob(NpgsqlDataReader reader) =>
        new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            (JobState)reader.GetInt32(4),
            reader.GetInt32(5),
            FromMilliseconds(reader.GetInt64(6)),
            reader.GetNullableString(7),
            reader.IsDBNull(8) ? null : FromMilliseconds(reader.GetInt64(8)),
            reader.GetNullableString(9),
            reader.GetNullableString(10),
            FromMilliseconds(reader.GetInt64(11)),
            FromMilliseconds(reader.GetInt64(12)));
}
