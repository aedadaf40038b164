using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Publish.Tests.Support;

/// <summary>
/// The real <c>strata serve</c> in its own process (the Strata.Cli build copied beside the tests by
/// the project reference: the <c>strata</c> apphost, else <c>dotnet strata.dll</c>), so a test can
/// <c>kill -9</c> it and start it again on the same data folder.
/// </summary>
internal sealed partial class StrataServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output;
    private bool _disposed;

    private StrataServerProcess(Process process, StringBuilder output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>strata serve --data <paramref name="dataDirectory"/></c> on a free loopback port and waits until it listens.</summary>
    public static async Task<StrataServerProcess> StartAsync(string dataDirectory, IReadOnlyList<string> arguments)
    {
        var info = StartInfo();
        foreach (var argument in (string[])["serve", "--data", dataDirectory, "--listen", "127.0.0.1:0", "--Auth:Enabled", "false", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        // An empty working directory of its own: strata reads strata.json from there.
        info.WorkingDirectory = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!, "cwd")).FullName;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = StartCapturing(info, output, line =>
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        });
        var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (first != listening.Task)
        {
            Kill(process);
            throw new InvalidOperationException($"strata did not start listening:\n{info.FileName} {string.Join(' ', info.ArgumentList)}\n{output}");
        }

        return new StrataServerProcess(process, output, await listening.Task);
    }

    /// <summary><c>kill -9</c>: no shutdown, no flush, no cleanup.</summary>
    public async Task KillAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
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
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Http.Dispose();
        if (!_process.HasExited)
        {
            Kill(_process);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // Process.Kill sends SIGKILL on Unix.
    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Starts <paramref name="info"/> with both output streams captured line by line into
    /// <paramref name="output"/> (for failure messages), handing each line to <paramref name="onLine"/>
    /// as well, which is how callers notice readiness ("Now listening on", "mounted on").
    /// </summary>
    internal static Process StartCapturing(ProcessStartInfo info, StringBuilder output, Action<string> onLine)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            onLine(e.Data);
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>How to run the <c>strata</c> command built beside the tests (arguments to be added).</summary>
    internal static ProcessStartInfo StartInfo()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "strata.exe" : "strata");
        if (File.Exists(apphost))
        {
            return new ProcessStartInfo(apphost);
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references src/Strata.Cli so that it is built here.");
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(dll);
        return info;
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
