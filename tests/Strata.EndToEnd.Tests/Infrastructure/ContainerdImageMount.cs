namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An image mounted by <c>ctr image mount</c> inside a mount namespace that lives as long as this
/// object. The mount is never visible to (nor left behind in) the machine's namespace: the test reads
/// it through <c>/proc/PID/root</c> of the process holding the namespace, and disposing kills that
/// process, which takes the namespace and the mount with it.
/// </summary>
public sealed class ContainerdImageMount : IAsyncDisposable
{
    private const string MountedMarker = "strata-e2e: mounted";

    private static readonly TimeSpan MountTimeout = TimeSpan.FromSeconds(60);

    private readonly RunningProcess _holder;

    private ContainerdImageMount(RunningProcess holder, string target)
    {
        _holder = holder;
        // unshare and sh exec (no fork), so the process we started is the one in the namespace.
        RootPath = $"/proc/{holder.Id}/root{target}";
    }

    /// <summary>The image's root file system, as this test process can read it.</summary>
    public string RootPath { get; }

    /// <summary>A path inside the image, e.g. <c>At("etc/greeting")</c>.</summary>
    public string At(string relative) => Path.Combine(RootPath, relative);

    internal static async Task<ContainerdImageMount> StartAsync(ProcessSpec ctrMount, string target)
    {
        // Runs ctr, then keeps the namespace (and so the mount) alive, bounded, until killed.
        const string Script = "\"$@\" >&2 && echo '" + MountedMarker + "' && exec sleep 600";
        var spec = new ProcessSpec("unshare", ["--mount", "--propagation", "private", "sh", "-c", Script, "sh", ctrMount.FileName, .. ctrMount.Arguments])
        {
            Environment = ctrMount.Environment,
        };
        var mounted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = RunningProcess.Start(spec, line =>
        {
            if (line == MountedMarker)
            {
                mounted.TrySetResult();
            }
        });
        try
        {
            var first = await Task.WhenAny(mounted.Task, holder.Exited, Task.Delay(MountTimeout));
            if (first != mounted.Task)
            {
                Assert.Fail($"ctr image mount did not finish:\n$ {ctrMount.CommandLine}\n{holder.OutputSoFar()}");
            }

            return new ContainerdImageMount(holder, target);
        }
        catch
        {
            await holder.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _holder.DisposeAsync();
}
