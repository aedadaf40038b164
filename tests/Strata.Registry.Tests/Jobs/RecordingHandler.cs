using System.Collections.Concurrent;
using Strata.Metadata.Contracts;
using Strata.Registry.Jobs;

namespace Strata.Registry.Tests.Jobs;

/// <summary>A job handler whose behaviour each test scripts.</summary>
internal sealed class RecordingHandler(string kind, Func<JobRecord, CancellationToken, Task<string?>> run) : IJobHandler
{
    public ConcurrentQueue<JobRecord> Runs { get; } = new();

    public string Kind => kind;

    public Task<string?> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        Runs.Enqueue(job);
        return run(job, cancellationToken);
    }
}
