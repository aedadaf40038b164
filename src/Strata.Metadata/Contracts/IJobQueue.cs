namespace Strata.Metadata.Contracts;

/// <summary>
/// A durable job queue in the metadata store, safe for several workers and (with PostgreSQL)
/// several replicas: a job is leased by one worker at a time, and a lease that is not renewed
/// expires so another worker takes the job over. Outbox consumers keep their position here too.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// Queues a job unless one with the same kind and key is queued or running; in that case the
    /// existing one is kept, except that a queued job gets the newer payload. Returns the job id.
    /// A key whose last job has ended (succeeded or failed) gets a new job.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A queued job that gets a newer payload runs at the earlier of its own NotBefore and
    /// <paramref name="notBefore"/>: a new request is never postponed by an older one's backoff.
    /// </para>
    /// <para>
    /// A running job keeps the payload it was leased with, but a request with a different payload is
    /// not lost: it is held as a follow-up (the latest one wins, at the earliest NotBefore asked). When
    /// the running job ends (succeeded, or failed for good) the follow-up becomes a new queued job;
    /// when the job goes back to the queue instead (a retry, or an expired lease taken over) the
    /// follow-up's payload replaces its payload as for a queued job. An enqueue with the running
    /// job's own payload and no follow-up pending asks for nothing new and changes nothing. The id
    /// returned is the running job's; the follow-up gets its id when it is queued.
    /// </para>
    /// </remarks>
    Task<long> EnqueueAsync(string kind, string key, string payload, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Leases the oldest due job of one of <paramref name="kinds"/>: queued with NotBefore ≤ now, or
    /// running with an expired lease. Marks it running, owned by <paramref name="owner"/> until now +
    /// <paramref name="leaseDuration"/>, and counts an attempt. Null when nothing is due.
    /// </summary>
    /// <remarks>
    /// Due jobs are taken in (NotBefore, Id) order, whether queued or with an expired lease. The lease
    /// is owned by the <paramref name="owner"/> string alone, so each worker (process and slot) must
    /// use one of its own. The returned record shows the job running, with this attempt counted.
    /// </remarks>
    Task<JobRecord?> LeaseAsync(IReadOnlyCollection<string> kinds, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Extends a lease the owner still holds; false when it was lost (expired and taken over), and the worker must stop.</summary>
    /// <remarks>
    /// An expired lease that nobody has taken over yet is still held: the owner may renew, complete or
    /// fail it. The new lease runs until now + <paramref name="leaseDuration"/>.
    /// </remarks>
    Task<bool> RenewAsync(long id, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Marks the job succeeded with its result, if <paramref name="owner"/> still holds it.</summary>
    /// <remarks>
    /// The lease fields are cleared (they are set only while running); the error of an earlier failed
    /// attempt is kept, so a job that needed retries still shows why.
    /// </remarks>
    Task<bool> CompleteAsync(long id, string owner, string? result, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failure, if <paramref name="owner"/> still holds the lease: with
    /// <paramref name="retryAt"/> the job is queued again for then, without it the job fails for good.
    /// </summary>
    Task<bool> FailAsync(long id, string owner, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken);

    /// <summary>The job with this id, or null.</summary>
    Task<JobRecord?> GetJobAsync(long id, CancellationToken cancellationToken);

    /// <summary>The newest job of a kind and key, whatever its state, or null.</summary>
    Task<JobRecord?> GetLatestJobAsync(string kind, string key, CancellationToken cancellationToken);

    /// <summary>Jobs of a kind, newest first, optionally only in one state.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(string kind, JobState? state, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> ended jobs (succeeded or failed) last updated before
    /// <paramref name="endedBefore"/>, keeping the newest job of every (kind, key) whatever its age, so
    /// <see cref="GetLatestJobAsync"/> still answers for every key. Returns how many were deleted
    /// (call again while it returns <paramref name="limit"/>).
    /// </summary>
    Task<int> PruneEndedJobsAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>The last outbox event id a consumer has processed (0 when it never ran).</summary>
    Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>Moves a consumer's position forward (never backward).</summary>
    Task SetOutboxCursorAsync(string consumer, long eventId, CancellationToken cancellationToken);
}
