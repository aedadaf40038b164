using System.Text.RegularExpressions;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>
/// A replica in its own process (<c>dotnet strata.dll serve</c>, built beside the tests), so a test can
/// <c>kill -9</c> it. Settings go in as <c>STRATA__Section__Key</c> environment variables, as an
/// operator would give them (secrets stay out of the process list).
/// </summary>
public sealed partial class ReplicaProcess : IReplica
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly RunningProcess _process;

    private ReplicaProcess(RunningProcess process, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    /// <summary>The spec to run <c>strata <paramref name="command"/></c> with these settings.</summary>
    public static ProcessSpec Command(IReadOnlyDictionary<string, string?> settings, params string[] command)
    {
        var strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        Assert.True(File.Exists(strata), $"{strata} is missing: the test project references src/Strata.Cli so that it is built here.");
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        foreach (var (key, value) in settings)
        {
            environment["STRATA__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new ProcessSpec("dotnet", [strata, .. command])
        {
            // Not the test's folder: strata reads strata.json from its working directory.
            WorkingDirectory = settings["Data"],
            Environment = environment,
        };
    }

    public static async Task<ReplicaProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        Directory.CreateDirectory(settings["Data"]!);
        var spec = Command(settings, "serve");
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

            return new ReplicaProcess(process, settings["Data"]!, await listening.Task);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>kill -9</c>: no shutdown, no flush, no cleanup; its database session and leases die with it.</summary>
    public Task KillAsync() => _process.KillAsync();

    public int ProcessId => _process.Id;

    public string Output() => _process.OutputSoFar();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"Now listening on: (http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
