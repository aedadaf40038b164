using System.CommandLine;
using System.Globalization;
using Strata.Client.Cache;
using Strata.Client.Fuse;
using Strata.Client.Hosting;
using Strata.Client.Network;
using Strata.Client.Repository;

namespace Strata.Mount;

/// <summary>
/// <c>strata mount --key K --cache C URL[,MIRROR…] MOUNTPOINT</c>: mounts a CernVM-FS repository
/// read-only with FUSE, lazily, through the shared cache. <c>strata mount --stats --cache C</c>
/// prints the status files of running mounts instead. The same options and action serve the
/// <c>mount</c> subcommand of <c>strata</c> (this file is compiled into it too) and the root command
/// of the natively compiled <c>strata-mount</c> that <c>strata mount</c> hands over to.
/// </summary>
internal static class MountCommand
{
    public const string Description = "Mount a CernVM-FS repository read-only with FUSE (lazy, verified, cached)";

    /// <summary>Adds the mount arguments, options and action to <paramref name="command"/> and returns it.</summary>
    public static Command Configure(Command command)
    {
        var urls = new Argument<string?>("urls") { Description = "Repository URL ending in /cvmfs/<fqrn>, then mirrors, comma-separated", Arity = ArgumentArity.ZeroOrOne };
        var mountpoint = new Argument<string?>("mountpoint") { Description = "Directory to mount on", Arity = ArgumentArity.ZeroOrOne };
        var key = new Option<string?>("--key") { Description = "Master public key file(s), ':'-separated (CVMFS_PUBLIC_KEY)" };
        var cache = new Option<string?>("--cache") { Description = "Cache directory, shared by all mounts (CVMFS_CACHE_BASE)", Required = true };
        var quota = new Option<long?>("--quota-mb") { Description = "Cache quota in MB; LRU eviction beyond it (default 4000; 0: none)" };
        var proxy = new Option<string?>("--proxy") { Description = "HTTP proxies in CernVM-FS syntax: 'p1|p2;p3;DIRECT' (default DIRECT)" };
        var tag = new Option<string?>("--tag") { Description = "Mount this history tag instead of the newest revision" };
        var timeout = new Option<double?>("--timeout") { Description = "Network timeout in seconds (default 5)" };
        var retries = new Option<int?>("--retries") { Description = "Extra rounds over the mirrors after a failure (default 1)" };
        var kernelCache = new Option<double?>("--kernel-cache") { Description = "Seconds the kernel may cache names and attributes (default 60)" };
        var ttl = new Option<double?>("--ttl") { Description = "Re-check the manifest after this many seconds (default: the manifest's TTL)" };
        var magic = new Option<bool>("--list-magic-xattrs") { Description = "List the virtual attributes (user.hash, user.revision…) on the root, as cvmfs does" };
        var stats = new Option<bool>("--stats") { Description = "Print the status of running mounts using --cache, then exit" };
        foreach (var argument in new Argument[] { urls, mountpoint })
        {
            command.Arguments.Add(argument);
        }

        foreach (var option in new Option[] { key, cache, quota, proxy, tag, timeout, retries, kernelCache, ttl, magic, stats })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var cacheDirectory = result.GetValue(cache)!;
            if (result.GetValue(stats))
            {
                return await PrintStatsAsync(cacheDirectory, result.GetValue(urls));
            }

            if (result.GetValue(urls) is not { } urlText || result.GetValue(mountpoint) is not { } target || result.GetValue(key) is not { } keyFiles)
            {
                await Console.Error.WriteLineAsync("strata mount: --key, the repository URL and the mount point are required.");
                return 2;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                var network = new NetworkOptions { Proxies = ProxyChain.Parse(result.GetValue(proxy)) };
                network = network with
                {
                    Timeout = result.GetValue(timeout) is double t ? TimeSpan.FromSeconds(t) : network.Timeout,
                    MaxRetries = result.GetValue(retries) ?? network.MaxRetries,
                };
                var options = new ClientOptions
                {
                    Mirrors = RepositoryAddress.ParseList(urlText),
                    MasterKeys = MasterKeys.Load(keyFiles),
                    Cache = new CacheOptions
                    {
                        Directory = cacheDirectory,
                        QuotaBytes = (result.GetValue(quota) ?? 4000) * 1024 * 1024,
                    },
                    Network = network,
                    Tag = result.GetValue(tag),
                    RevisionCheckInterval = result.GetValue(ttl) is double s ? TimeSpan.FromSeconds(s) : null,
                };
                var mount = new MountOptions
                {
                    Mountpoint = target,
                    KernelCacheTimeout = TimeSpan.FromSeconds(result.GetValue(kernelCache) ?? 60),
                    ListMagicXattrs = result.GetValue(magic),
                };

                await MountRunner.RunAsync(options, mount, (client, fuse) =>
                    Console.WriteLine($"strata: {client.Fqrn} revision {client.Current.Revision} mounted on {fuse.Mountpoint}"), stop.Token);
                return 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or Strata.Cvmfs.CvmfsVerificationException
                or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                // Bad input (a missing or unreadable key file, a malformed URL or proxy list) included: one line, no stack trace.
                await Console.Error.WriteLineAsync($"strata mount: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> PrintStatsAsync(string cacheDirectory, string? urls)
    {
        var repos = Path.Combine(cacheDirectory, "repos");
        if (!Directory.Exists(repos))
        {
            await Console.Error.WriteLineAsync($"strata mount: no cache at {cacheDirectory}.");
            return 1;
        }

        var only = urls is null ? null : RepositoryAddress.ParseList(urls)[0].Fqrn;
        foreach (var directory in Directory.EnumerateDirectories(repos))
        {
            if (only is not null && Path.GetFileName(directory) != only)
            {
                continue;
            }

            var state = new RepositoryState(directory);
            Console.WriteLine($"# {Path.GetFileName(directory)}: newest revision seen {state.NewestRevision.ToString(CultureInfo.InvariantCulture)}");
            foreach (var file in state.StatusFiles())
            {
                Console.WriteLine($"# {file}");
                Console.WriteLine(await File.ReadAllTextAsync(file));
            }
        }

        return 0;
    }
}
