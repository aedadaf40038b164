namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a command to completion with a bounded wall time and captured output.</summary>
public static class ProcessRunner
{
    /// <summary>Default bound for one client command (a push or pull of a small image takes well under a second).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await using var process = RunningProcess.Start(spec);
        return await process.WaitAsync(timeout ?? DefaultTimeout, cancellationToken);
    }

    public static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) =>
        RunAsync(new ProcessSpec(fileName, arguments));
}
