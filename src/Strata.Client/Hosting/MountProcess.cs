using System.Collections;
using System.Runtime.InteropServices;

namespace Strata.Client.Hosting;

/// <summary>
/// Runtime settings of the <c>strata mount</c> process. The published <c>strata</c> runs without
/// tiered compilation, which suits the server (its request paths are compiled once, fully
/// optimized), but a mount's start-up is mostly code compiled once and run once: the generic
/// instantiations of the async machinery over the client's own types (about 700 methods) that
/// ReadyToRun cannot precompile outside the framework's version bubble. Compiling those fully
/// optimized cost more CPU than the rest of the start; with tiered compilation they are compiled
/// quickly, and the few hot FUSE paths are re-compiled optimized in the background later.
/// Runtime settings are fixed when the process starts, so <c>strata mount</c> re-executes itself,
/// first thing, with <c>DOTNET_TieredCompilation=1</c> (docs/benchmarks.md, client section: about
/// a quarter less CPU until the mount serves, net of the extra process start).
/// </summary>
public static partial class MountProcess
{
    /// <summary>Set in the re-executed process, so it does not re-execute again.</summary>
    public const string MarkerVariable = "STRATA_MOUNT_PROCESS";

    private const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>
    /// When <paramref name="args"/> is a <c>strata mount</c> that will serve a mount, replaces this
    /// process (same pid) with one running the same command with the mount's runtime settings, and
    /// does not return. Returns when nothing is to be done (another command, <c>--stats</c>, the
    /// settings already in place or chosen by the user) or when the re-execution failed (the mount
    /// then simply runs with the settings it has).
    /// </summary>
    public static void ReexecuteForMount(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "mount" || args.Contains("--stats") || args.Contains("--help") || args.Contains("-h")
            || Environment.GetEnvironmentVariable(MarkerVariable) is not null
            || Environment.GetEnvironmentVariable(TieredCompilationVariable) is not null
            || Environment.ProcessPath is not { } executable)
        {
            return;
        }

        // Under `dotnet strata.dll`, the host is dotnet and the first argument is the assembly.
        var host = Path.GetFileNameWithoutExtension(executable) == "dotnet";
        var prefix = host ? new[] { executable, Environment.GetCommandLineArgs()[0] } : [executable];
        var argv = new string?[prefix.Length + args.Length + 1];
        prefix.CopyTo(argv, 0);
        args.CopyTo(argv, prefix.Length);

        var environment = new List<string?>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{variable.Key}={variable.Value}");
        }

        environment.Add($"{TieredCompilationVariable}=1");
        environment.Add($"{MarkerVariable}=1");
        environment.Add(null);
        Console.Out.Flush();
        Console.Error.Flush();
        _ = Execve(executable, argv, [.. environment]);

        // Only reached when execve failed: carry on in this process.
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
