using System.Runtime.InteropServices;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata mount</c> becomes the natively compiled <c>strata-mount</c> (exec, same process id,
/// same arguments) when a published <c>strata</c> has one beside it: a cold mount then serves without
/// the JIT and type loading that made up most of its start-up (docs/architecture.md, "Client start-up").
/// Without it (<c>dotnet build</c>, the tests) the mount runs in this process, the same code.
/// </summary>
internal static partial class NativeMountHandover
{
    /// <summary>Set to 1 to keep the mount in the <c>strata</c> process even when <c>strata-mount</c> is there.</summary>
    public const string InProcessVariable = "STRATA_MOUNT_IN_PROCESS";

    /// <summary>Execs <c>strata-mount</c> with <paramref name="mountArguments"/> when present; returns only if it is not (or exec failed).</summary>
    public static void ExecIfPresent(string[] mountArguments)
    {
        var native = Path.Combine(AppContext.BaseDirectory, "strata-mount");
        if (Environment.GetEnvironmentVariable(InProcessVariable) == "1" || !File.Exists(native)
            || File.Exists(native + ".dll") || File.Exists(native + ".runtimeconfig.json"))
        {
            // An apphost with its .dll and runtime config beside it is a JIT build of the same code: a
            // second runtime start would only add time.
            return;
        }

        string?[] argv = [native, .. mountArguments, null];
        Execv(native, argv);
        Console.Error.WriteLine($"strata mount: could not run {native} (errno {Marshal.GetLastPInvokeError()}); mounting in this process.");
    }

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execv(string path, string?[] argv);
}
