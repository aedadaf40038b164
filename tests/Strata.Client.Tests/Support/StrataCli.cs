namespace Strata.Client.Tests.Support;

/// <summary>
/// The real <c>strata</c> command, built beside the tests (the test project references
/// src/Strata.Cli): the native apphost when it was copied here, otherwise <c>dotnet strata.dll</c>.
/// </summary>
internal static class StrataCli
{
    public static ChildProcess Start(params string[] arguments) => StartIn(null, arguments);

    /// <summary>Starts strata in <paramref name="workingDirectory"/> (where <c>strata serve</c> looks for strata.json).</summary>
    public static ChildProcess StartIn(string? workingDirectory, params string[] arguments)
    {
        var (fileName, prefix) = Command();
        return ChildProcess.Start(fileName, [.. prefix, .. arguments], new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }, workingDirectory);
    }

    /// <summary>Runs a command to its end; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        await using var process = Start(arguments);
        var exit = await process.WaitForExitAsync(timeout);

        // Output lines are delivered asynchronously; give the last ones a moment.
        await Task.Delay(100);
        return (exit, process.Output());
    }

    private static (string FileName, string[] Prefix) Command()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "strata");
        if (File.Exists(apphost))
        {
            return (apphost, []);
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references src/Strata.Cli so that it is built here.");
        return ("dotnet", [dll]);
    }
}
