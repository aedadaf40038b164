using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Strata.Client.Hosting;
using Strata.Client.Mirror;
using Strata.Client.Network;
using Strata.Client.Repository;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata mirror URL DIR --key K [--watch [--interval S]] [--proxy P]</c>: replicates a CernVM-FS
/// repository into a directory laid out like a Stratum 1 (serve it with any static web server).
/// Progress goes to stderr.
/// </summary>
internal static class MirrorCommand
{
    public static Command Create()
    {
        var urls = new Argument<string>("upstream") { Description = "Upstream repository URL ending in /cvmfs/<fqrn>, then fallbacks, comma-separated" };
        var directory = new Argument<string>("directory") { Description = "Mirror directory (.cvmfspublished, .cvmfswhitelist, data/)" };
        var key = new Option<string>("--key") { Description = "Master public key file(s), ':'-separated", Required = true };
        var proxy = new Option<string?>("--proxy") { Description = "HTTP proxies in CernVM-FS syntax" };
        var watch = new Option<bool>("--watch") { Description = "Keep re-checking the upstream and mirror new revisions until interrupted" };
        var interval = new Option<double?>("--interval") { Description = "Seconds between checks with --watch (default 60)" };
        var headOnly = new Option<bool>("--head-only") { Description = "Mirror only the newest revision, not the tagged ones" };
        var command = new Command("mirror", "Replicate a CernVM-FS repository into a Stratum 1 directory (verified, incremental)")
        {
            urls, directory, key, proxy, watch, interval, headOnly,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            MirrorOptions options;
            try
            {
                options = new MirrorOptions
                {
                    Upstreams = RepositoryAddress.ParseList(result.GetValue(urls)!),
                    Directory = result.GetValue(directory)!,
                    MasterKeys = MasterKeys.Load(result.GetValue(key)!),
                    Network = new NetworkOptions { Proxies = ProxyChain.Parse(result.GetValue(proxy)) },
                    IncludeTaggedRevisions = !result.GetValue(headOnly),
                };
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                await Console.Error.WriteLineAsync($"strata mirror: {e.Message}");
                return 2;
            }

            var clock = Stopwatch.StartNew();
            var lastPrinted = TimeSpan.Zero;
            var printGate = new Lock();
            void Report(MirrorProgress progress)
            {
                lock (printGate)
                {
                    if (clock.Elapsed - lastPrinted < TimeSpan.FromSeconds(1))
                    {
                        return;
                    }

                    lastPrinted = clock.Elapsed;
                    Console.Error.WriteLine($"strata mirror: {Describe(progress)}");
                }
            }

            // Ctrl+C / SIGTERM end the run or the watch loop cleanly; a run interrupted mid-way resumes next time.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            cancellationToken = stop.Token;
            using var mirror = new RepositoryMirror(options, Report);
            void Synced(MirrorResult r) => Console.Error.WriteLine(r.UpToDate
                ? $"strata mirror: {options.Fqrn} revision {r.Revision} is up to date"
                : $"strata mirror: {options.Fqrn} revision {r.Revision} mirrored (was {r.PreviousRevision}): {Describe(r.Progress)}");
            try
            {
                if (result.GetValue(watch))
                {
                    var every = TimeSpan.FromSeconds(result.GetValue(interval) ?? 60);
                    // Quiet while nothing changes: one line per new revision (or failure), not one per check.
                    await mirror.WatchAsync(every, null, r => { if (!r.UpToDate) { Synced(r); } }, e => Console.Error.WriteLine($"strata mirror: {e.Message} (retrying in {every.TotalSeconds:0.#} s)"), cancellationToken);
                    return 0;
                }

                Synced(await mirror.SyncAsync(cancellationToken));
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && result.GetValue(watch))
            {
                await Console.Error.WriteLineAsync("strata mirror: stopped");
                return 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"strata mirror: interrupted after {Describe(mirror.Progress)}; rerun to resume");
                return 130;
            }
            catch (Exception e) when (RepositoryMirror.IsSyncFailure(e))
            {
                await Console.Error.WriteLineAsync($"strata mirror: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Describe(MirrorProgress p) =>
        $"{p.ObjectsFetched} objects ({p.BytesFetched / 1048576.0:0.0} MiB) fetched, {p.ObjectsPresent} already present";
}
