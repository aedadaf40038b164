using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Registry.Gc;
using Strata.Server.Gc;
using Strata.Server.Hosting;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata gc [--dry-run]</c>: one garbage collection run over the data folder (or what the
/// configuration names), in this process, beside a running server or not: reviews are leased in the
/// metadata store, so a server collecting at the same time never takes the same work. Includes the
/// storage sweep unless <c>--no-sweep</c>. A dry run prints exactly what a real run would delete now.
/// </summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory (blobs, metadata). Default: ./strata-data" };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be deleted; change nothing" };
        var noSweep = new Option<bool>("--no-sweep") { Description = "Skip listing storage for orphaned bytes and upload folders" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary, not every item" };
        var cvmfs = new Option<bool>("--cvmfs")
        {
            Description = "Also collect the CernVM-FS repository (condemned revisions, unreachable objects). Not while a server publishes into the same storage: use POST /api/v1/gc/cvmfs there",
        };
        var mirror = new Option<string?>("--mirror")
        {
            Description = "Collect a Stratum 1 directory made by strata mirror instead (same preservation rules; waits for a running mirror sync)",
        };
        var retention = new Option<TimeSpan?>("--revision-retention") { Description = "With --mirror: revisions younger than this are kept (default 3.00:00:00)" };
        var grace = new Option<TimeSpan?>("--object-grace") { Description = "With --mirror: objects younger than this are kept (default 01:00:00)" };
        var command = new Command("gc", "Collect garbage now: unreferenced manifests and blobs past the grace period, abandoned uploads")
        {
            data, config, dryRun, noSweep, quiet, cvmfs, mirror, retention, grace,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(mirror) is { Length: > 0 } mirrorDirectory)
            {
                return await MirrorGcCommand.RunAsync(
                    mirrorDirectory, result.GetValue(dryRun), result.GetValue(quiet), result.GetValue(retention), result.GetValue(grace), cancellationToken);
            }

            var settings = new Dictionary<string, string?>
            {
                // Nothing is served; the background collector stays off, the run below is the only one.
                ["Gc:Enabled"] = "false",
            };
            if (result.GetValue(data) is { Length: > 0 } folder)
            {
                settings["Data"] = folder;
            }

            if (result.GetValue(config) is { Length: > 0 } file)
            {
                settings["Config"] = file;
            }

            try
            {
                await using var app = StrataServer.Build([.. result.UnmatchedTokens], settings);
                Directory.CreateDirectory(Path.GetFullPath(app.Services.GetRequiredService<StrataOptions>().Data));
                await app.Services.GetRequiredService<IMetadataStore>().InitializeAsync(cancellationToken);
                var collector = app.Services.GetRequiredService<GarbageCollector>();
                var report = await collector.RunAsync(
                    new GcRunRequest(result.GetValue(dryRun), SweepStorage: !result.GetValue(noSweep), GcTriggers.Cli),
                    cancellationToken);
                Print(report, result.GetValue(quiet));
                if (result.GetValue(cvmfs))
                {
                    var cvmfsReport = await app.Services.GetRequiredService<CvmfsGcRunner>().RunAsync(result.GetValue(dryRun), cancellationToken);
                    var repository = cvmfsReport.Objects;
                    Console.WriteLine(
                        $"cvmfs gc{(repository.DryRun ? " (dry run)" : "")}: {cvmfsReport.FlatImagesRemoved} flat images and {cvmfsReport.LayersRemoved} layers no tag reaches " +
                        $"{(repository.DryRun ? "would leave" : "left")} the tree{(cvmfsReport.PrunedRevision is { } r ? $" (revision {r})" : "")}; revision {repository.Revision}, {repository.PreservedRevisions} revisions preserved (oldest {repository.OldestPreservedRevision}), " +
                        $"{repository.ObjectsMarked} objects reachable, {repository.ObjectsDeleted} of {repository.ObjectsStored} {(repository.DryRun ? "would be" : "")} deleted ({repository.BytesFreed} bytes), " +
                        $"{repository.ObjectsTooYoung} too young, in {repository.Duration.TotalSeconds:F1} s");
                }

                return report.Status == "succeeded" ? 0 : 1;
            }
            catch (OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync("strata: the configuration has problems; fix them and start again:");
                foreach (var failure in e.Failures)
                {
                    await Console.Error.WriteLineAsync($"  - {failure}");
                }

                return 2;
            }
        });
        return command;
    }

    private static void Print(GcReport report, bool quiet)
    {
        var verb = report.Request.DryRun ? "would delete" : "deleted";
        if (!quiet)
        {
            foreach (var manifest in report.Manifests)
            {
                Console.WriteLine($"manifest {manifest}");
            }

            foreach (var blob in report.Blobs)
            {
                Console.WriteLine($"blob {blob}");
            }

            foreach (var upload in report.Uploads)
            {
                Console.WriteLine($"upload {upload}");
            }

            foreach (var orphan in report.Orphans)
            {
                Console.WriteLine($"orphan {orphan}");
            }
        }

        Console.WriteLine(
            $"gc {report.Status}{(report.Request.DryRun ? " (dry run)" : "")}: {verb} {report.ManifestsDeleted} manifests, {report.BlobsDeleted} blobs " +
            $"({report.BytesFreed} bytes with orphans), {report.LinksPruned} stale links, {report.UploadsExpired} uploads, {report.OrphansDeleted} orphans " +
            $"in {report.Duration.TotalSeconds:F1} s{(report.Complete ? "" : "; more is due (limit reached), run again")}{(report.Error is null ? "" : $"; error: {report.Error}")}");
    }
}
