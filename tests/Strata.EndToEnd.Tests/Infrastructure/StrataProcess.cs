using System.Text.RegularExpressions;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Strata in its own process (<c>dotnet strata.dll serve</c>, the strata.dll built beside the
/// tests), so that a test can <c>kill -9</c> it and start it again on the same data folder.
/// </summary>
public sealed partial class StrataProcess : IRegistryEndpoint, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly RunningProcess _process;

    private StrataProcess(RunningProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    /// <summary>
    /// Starts <c>strata serve --data <paramref name="dataDirectory"/></c> on <paramref name="port"/>
    /// and waits until it listens. Tests restart on a fresh port (0, the default): a port just freed
    /// may meanwhile be taken by another test's server or client socket.
    /// </summary>
    public static async Task<StrataProcess> StartAsync(string dataDirectory, int port = 0)
    {
        var strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        Assert.True(File.Exists(strata), $"{strata} is missing: the test project references src/Strata.Cli so that it is built here.");
        var spec = new ProcessSpec("dotnet", [strata, "serve", "--data", dataDirectory, "--listen", $"127.0.0.1:{port}", "--Auth:Enabled", "false"])
        {
            // Not the test's folder: strata reads strata.json from its working directory.
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dataDirectory)),
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
        };

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = RunningProcess.Start(spec, line =>
        {
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        });

        try
        {
            var first = await Task.WhenAny(listening.Task, process.Exited, Task.Delay(StartTimeout));
            if (first != listening.Task)
            {
                throw new InvalidOperationException($"strata did not start listening:\n$ {spec.CommandLine}\n{process.OutputSoFar()}");
            }

            return new StrataProcess(process, await listening.Task);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>kill -9</c>: no shutdown, no flush, no cleanup.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>What the server wrote, for failure messages.</summary>
    public string Output() => _process.OutputSoFar();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"Now listening on: (http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
