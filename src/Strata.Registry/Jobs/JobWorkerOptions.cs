using System.ComponentModel.DataAnnotations;

namespace Strata.Registry.Jobs;

/// <summary>Settings of the background job workers (configuration section <c>Jobs</c>).</summary>
public sealed class JobWorkerOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs run at once by this process.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 2;

    /// <summary>How long a lease lasts without renewal; a dead worker's job is taken over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause between polls when no job is due (a new event wakes the workers sooner).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts before a failing job is given up.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay; doubled each attempt (1 s, 2 s, 4 s, … capped at 5 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
