using Strata.Client.Fuse;
using Strata.Client.Hosting;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests;

/// <summary>
/// The test assembly is also a tiny mount host (<c>dotnet Strata.Client.Tests.dll mount-host URLS CACHE MOUNTPOINT</c>),
/// so a test can run a client in its own process and kill -9 it. The test runner never calls Main.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 4 || args[0] != "mount-host")
        {
            await Console.Error.WriteLineAsync("usage: mount-host <urls> <cache> <mountpoint>");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        var options = TestMount.Options(args[1], args[2]);
        await MountRunner.RunAsync(options, new MountOptions { Mountpoint = args[3], KernelCacheTimeout = TimeSpan.FromSeconds(1), StatusInterval = TimeSpan.FromMilliseconds(200) }, (_, _) => Console.WriteLine("mounted"), stop.Token);
        return 0;
    }
}
