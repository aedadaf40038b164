using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Publish.Gc;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Server.Hosting;
using Strata.Server.Publication;
using Strata.Storage.Drivers;

namespace Strata.Server.Gc;

/// <summary>
/// Collects the CernVM-FS repository this server publishes, alone (no publication runs meanwhile:
/// <see cref="RepositoryMaintenanceGate"/>): flat images and layers no tag reaches leave the tree
/// in a new revision, then objects no preserved revision reaches are swept.
/// </summary>
public sealed partial class CvmfsGcRunner(
    IServiceProvider services,
    IBlobDriver driver,
    RepositoryMaintenanceGate gate,
    IOptions<PublicationOptions> publication,
    IOptions<CvmfsGcOptions> options,
    StrataOptions strata,
    TimeProvider time,
    ILogger<CvmfsGcRunner> logger)
{
    public async Task<CvmfsGcReport> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var collector = new RepositoryGarbageCollector(
            driver,
            new RepositoryGcOptions
            {
                RepositoryName = publication.Value.Repository,
                WorkDirectory = Path.Combine(Path.GetFullPath(strata.Data), "tmp", "cvmfs-gc"),
                RevisionRetention = settings.RevisionRetention,
                ObjectGrace = settings.ObjectGrace,
            },
            time);

        // Resolved here, not at start: the keys are created on first use.
        var publisher = services.GetRequiredService<ImagePublisher>();
        var keys = services.GetRequiredService<RepositoryKeys>();
        await using (await gate.EnterExclusiveAsync(cancellationToken).ConfigureAwait(false))
        {
            var pruner = new ImageTreePruner(driver, publisher.Repository, keys.MasterPublicKey);
            var (flats, layers) = await pruner.FindUnreachableAsync(cancellationToken).ConfigureAwait(false);
            var pruned = dryRun ? null : await pruner.PruneAsync(flats, layers, cancellationToken).ConfigureAwait(false);
            var result = await collector.CollectAsync(dryRun, cancellationToken).ConfigureAwait(false);
            LogCollected(logger, dryRun, flats.Count, layers.Count, result.Revision, result.PreservedRevisions, result.ObjectsMarked, result.ObjectsDeleted, result.BytesFreed, result.Duration.TotalMilliseconds);
            return new CvmfsGcReport(flats.Count, layers.Count, pruned?.Revision, result);
        }
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Information, Message = "cvmfs gc (dry run: {DryRun}): {Flats} flat images and {Layers} layers unreachable; at revision {Revision}: {Preserved} revisions preserved, {Marked} objects reachable, {Deleted} deleted ({Bytes} bytes) in {Milliseconds} ms")]
    private static partial void LogCollected(ILogger logger, bool dryRun, int flats, int layers, long revision, int preserved, long marked, long deleted, long bytes, double milliseconds);
}
