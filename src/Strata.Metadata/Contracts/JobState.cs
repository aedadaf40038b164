namespace Strata.Metadata.Contracts;

/// <summary>Life cycle of a background job.</summary>
public enum JobState
{
    /// <summary>Waiting to run (first time, or a retry after <see cref="JobRecord.NotBefore"/>).</summary>
    Queued,
    /// <summary>Leased by a worker until <see cref="JobRecord.LeaseUntil"/>; a dead worker's lease expires and the job is taken over.</summary>
    Running,
    /// <summary>Finished; <see cref="JobRecord.Result"/> holds what it produced.</summary>
    Succeeded,
    /// <summary>Gave up (no retry left, or a permanent error); <see cref="JobRecord.Error"/> says why.</summary>
    Failed,
}
