using Strata.Metadata.Contracts;

namespace Strata.Registry.Jobs;

/// <summary>Runs the jobs of one kind. Throw <see cref="PermanentJobException"/> for failures a retry cannot fix.</summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary>Runs the job; the returned JSON (or null) is stored as its result.</summary>
    Task<string?> RunAsync(JobRecord job, CancellationToken cancellationToken);
}
