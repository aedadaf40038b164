using System.ComponentModel.DataAnnotations;

namespace Strata.Server.Hosting;

/// <summary>How long ended jobs are kept (configuration section <c>Jobs</c>, beside the worker settings).</summary>
public sealed class JobRetentionOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Ended jobs (succeeded or failed) older than this are deleted, except the newest job of each
    /// key, which status pages show. Default 7 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often ended jobs are pruned. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
