using System.Diagnostics;

namespace Strata.Client.Tests.Support;

/// <summary>Runs a program with a hard time limit; a program still running then is killed.</summary>
internal static class ProcessRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs dump-tree.py against a mount and returns the lines it wrote (tree, magic xattrs).</summary>
    public static async Task<(string[] Tree, string[] Magic)> DumpTreeAsync(string mountpoint, string scratch)
    {
        var tree = Path.Combine(scratch, "tree.jsonl");
        var magic = Path.Combine(scratch, "magic.jsonl");
        var (exit, _, error) = await RunAsync("python3", [TestVectors.DumpTreeScript, mountpoint, tree, magic], TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"dump-tree.py failed ({exit}): {error}");
        return (await File.ReadAllLinesAsync(tree), await File.ReadAllLinesAsync(magic));
    }
}
