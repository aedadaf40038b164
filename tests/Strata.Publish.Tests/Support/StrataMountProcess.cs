using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Strata.Publish.Tests.Support;

/// <summary>
/// The real <c>strata mount</c> in its own process: a FUSE client of a repository served over HTTP,
/// as a user runs it. Disposal stops it with SIGTERM (the client unmounts itself) and detaches the
/// mount point if it is still attached, every wait bounded, so a failing test never leaves a mount behind.
/// </summary>
internal sealed partial class StrataMountProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output;

    private StrataMountProcess(Process process, StringBuilder output, string mountpoint)
    {
        _process = process;
        _output = output;
        Mountpoint = mountpoint;
    }

    public string Mountpoint { get; }

    /// <summary>Starts <c>strata mount ARGUMENTS… URL MOUNTPOINT</c> and waits for its "mounted on" line.</summary>
    public static async Task<StrataMountProcess> StartAsync(string url, string mountpoint, IReadOnlyList<string> options)
    {
        Directory.CreateDirectory(mountpoint);
        var info = StrataServerProcess.StartInfo();
        foreach (var argument in (string[])["mount", .. options, url, mountpoint])
        {
            info.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var mounted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = StrataServerProcess.StartCapturing(info, output, line =>
        {
            if (line.Contains("mounted on", StringComparison.Ordinal))
            {
                mounted.TrySetResult();
            }
        });
        var mount = new StrataMountProcess(process, output, mountpoint);
        if (await Task.WhenAny(mounted.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout)) != mounted.Task)
        {
            await mount.DisposeAsync();
            throw new InvalidOperationException($"strata mount did not mount:\n{string.Join(' ', info.ArgumentList)}\n{mount.Output()}");
        }

        return mount;
    }

    /// <summary>The revision the client serves now (its <c>user.revision</c> attribute on the root, as cvmfs's).</summary>
    public long Revision()
    {
        var value = new byte[64];
        var length = GetXattr(Mountpoint, "user.revision", value, (nuint)value.Length);
        if (length < 0)
        {
            throw new IOException($"getxattr user.revision on {Mountpoint} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return long.Parse(Encoding.ASCII.GetString(value, 0, (int)length), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the client has moved to <paramref name="revision"/> or later by itself (its TTL), as a real client does.</summary>
    public async Task WaitForRevisionAsync(long revision, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long seen;
        while ((seen = Revision()) < revision)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the mounted client stayed on revision {seen}, not {revision}, for {timeout}:\n{Output()}");
            await Task.Delay(100);
        }
    }

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();

        // A client killed without unmounting leaves the mount point attached ("transport endpoint not connected").
        while (Umount2(Path.GetFullPath(Mountpoint), MntDetach) == 0)
        {
        }
    }

    private const int SigTerm = 15;
    private const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "getxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint GetXattr(string path, string name, byte[] value, nuint size);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Umount2(string target, int flags);
}
