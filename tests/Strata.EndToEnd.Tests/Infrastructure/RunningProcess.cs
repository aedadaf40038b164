using System.Diagnostics;
using System.Text;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A started process whose output is captured as it comes. Disposing kills it (and its children)
/// if it is still running, so a failed test never leaves a process behind.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _onLine;

    private RunningProcess(ProcessSpec spec, Process process, Action<string>? onLine)
    {
        Spec = spec;
        _process = process;
        _onLine = onLine;
    }

    public ProcessSpec Spec { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="spec"/>; <paramref name="onLine"/> sees each line of stdout and stderr as it comes.</summary>
    public static RunningProcess Start(ProcessSpec spec, Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var running = new RunningProcess(spec, process, onLine);
        process.OutputDataReceived += (_, e) => running.OnLine(e.Data, running._stdout, running._stdoutClosed);
        process.ErrorDataReceived += (_, e) => running.OnLine(e.Data, running._stderr, running._stderrClosed);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {spec.CommandLine}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Completes when the process has ended (never kills it).</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>What the process wrote so far (both streams), for failure messages.</summary>
    public string OutputSoFar()
    {
        lock (_stdout)
        {
            lock (_stderr)
            {
                return $"--- stdout ---\n{_stdout}\n--- stderr ---\n{_stderr}";
            }
        }
    }

    /// <summary>
    /// Waits for the process to end. Past <paramref name="timeout"/> it is killed and the test
    /// fails with the command line and what it wrote.
    /// </summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(timer.Token);
            // The pipes close after the exit; a grandchild that inherited them could keep them open, so don't wait forever.
            await Task.WhenAny(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync();
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s and killed:\n$ {Spec.CommandLine}\n{OutputSoFar()}");
        }

        lock (_stdout)
        {
            lock (_stderr)
            {
                return new ProcessResult(Spec.CommandLine, _process.ExitCode, _stdout.ToString(), _stderr.ToString());
            }
        }
    }

    /// <summary>SIGKILL to the process and its children (no chance to clean up), then waits for it.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timer.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line, StringBuilder buffer, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }

        _onLine?.Invoke(line);
    }
}
