using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Storage;
using Strata.Storage.Drivers;

namespace Strata.Registry.Gc;

/// <summary>
/// Online garbage collection of the registry: expires abandoned uploads, decides the due reviews the
/// write paths queued (manifests first, since deleting one makes its blobs due), deletes condemned
/// blobs from storage and then from metadata, and optionally sweeps storage for bytes no metadata
/// knows. Pushes and pulls go on meanwhile; any number of collectors (threads, replicas, a
/// <c>strata gc</c> next to a server) may run at once, because every review is leased in the store.
/// </summary>
public sealed partial class GarbageCollector(
    IMetadataStore store,
    IBlobDriver driver,
    IOptions<GcOptions> options,
    TimeProvider time,
    GcMetrics metrics,
    ILogger<GarbageCollector> logger)
{
    /// <summary>Items listed per kind in a report (counts are always exact).</summary>
    public const int MaxListedItems = 10_000;

    private const int UploadBatch = 500;

    private GcOptions Settings => options.Value;

    /// <summary>Runs one collection and records it in the history (a dry run is recorded too, flagged).</summary>
    public async Task<GcReport> RunAsync(GcRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetUtcNow();
        var tally = new GcTally();
        var status = "succeeded";
        string? error = null;
        var complete = true;
        try
        {
            if (request.DryRun)
            {
                complete = await PlanAsync(request, tally, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ExpireUploadsAsync(tally, cancellationToken).ConfigureAwait(false);
                complete = await CollectAsync(tally, cancellationToken).ConfigureAwait(false);
                if (request.SweepStorage)
                {
                    await SweepStorageAsync(dryRun: false, tally, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "cancelled";
        }
        catch (Exception e)
        {
            status = "failed";
            error = e.Message;
            LogRunFailed(logger, e);
        }

        var finished = time.GetUtcNow();
        var report = tally.ToReport(0, request, started, finished, status, error, complete);

        // A scheduled pass that found nothing is not history worth keeping (it runs every minute).
        if (tally.Anything || request.Trigger != GcTriggers.Schedule || status != "succeeded")
        {
            var id = await store.AddGcRunAsync(report.ToRecord(), CancellationToken.None).ConfigureAwait(false);
            report = report with { Id = id };
        }

        if (!request.DryRun)
        {
            metrics.RecordRun(status, report.Duration, finished);
        }

        if (tally.Anything)
        {
            LogRunFinished(logger, request.DryRun, report.ManifestsDeleted, report.BlobsDeleted, report.UploadsExpired, report.OrphansDeleted, report.BytesFreed, report.Duration.TotalMilliseconds);
        }

        return report;
    }

    /// <summary>Decides due reviews until none is due or the run's limit is reached; false when the limit stopped it.</summary>
    /// <remarks>
    /// Reviews are taken in batches (<see cref="GcOptions.ReviewBatchSize"/>): on SQLite one short
    /// transaction per batch, which gives way to pushes waiting for the write lock. After each batch a
    /// loop pauses so that the run's loops together work at most <see cref="GcOptions.WorkShare"/> of the time.
    /// </remarks>
    private async Task<bool> CollectAsync(GcTally tally, CancellationToken cancellationToken)
    {
        var policy = Settings.Policy;
        var batchSize = Settings.ReviewBatchSize;
        var budget = new ReviewBudget(Settings.MaxReviewsPerRun);
        var pacer = new GcPacer(Settings.WorkShare, time);
        await RunLoopsAsync(async token =>
        {
            while (budget.Take(batchSize) is var granted and > 0)
            {
                var batch = await pacer.TimeAsync(() => store.ReviewManifestsAsync(policy, granted, token), token).ConfigureAwait(false);
                budget.Return(granted - batch.Count);
                metrics.ManifestsReviewed.Add(batch.Count);
                foreach (var review in batch.Where(r => r.Verdict == GcVerdict.Deleted))
                {
                    tally.Manifest($"{review.Repository}@{review.Digest}");
                    metrics.ManifestsDeleted.Add(1);
                }

                if (batch.Count == 0)
                {
                    break;
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        await RunLoopsAsync(async token =>
        {
            while (budget.Take(batchSize) is var granted and > 0)
            {
                var batch = await pacer.TimeAsync(() => store.ReviewBlobsAsync(policy, granted, token), token).ConfigureAwait(false);
                budget.Return(granted - batch.Decided);
                metrics.BlobsReviewed.Add(batch.Decided);
                tally.Links(batch.Reviews.Sum(r => r.LinksPruned));
                var condemned = batch.Reviews.Where(r => r.Verdict == GcVerdict.Condemned).ToList();
                if (condemned.Count > 0)
                {
                    await pacer.TimeAsync(() => DeleteBlobsAsync(condemned, tally, token), token).ConfigureAwait(false);
                }

                if (batch.Decided == 0)
                {
                    break;
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return !budget.Exhausted;
    }

    /// <summary>Steps 2 and 3 of blob deletions (see <see cref="IGarbageCollectionStore"/>): bytes, then the rows of those whose bytes went.</summary>
    private async Task<bool> DeleteBlobsAsync(List<BlobReview> condemned, GcTally tally, CancellationToken cancellationToken)
    {
        var gone = new List<BlobReview>(condemned.Count);
        foreach (var review in condemned)
        {
            try
            {
                await driver.DeleteAsync(BlobPaths.Blob(review.Digest), cancellationToken).ConfigureAwait(false);
                gone.Add(review);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The blob stays marked (pushes of it wait or get 503) and the review comes back after a pause.
                metrics.DeletionFailures.Add(1);
                LogBlobDeletionFailed(logger, e, review.Digest.ToString());
                await store.PostponeBlobDeletionAsync(review.Digest, time.GetUtcNow() + Settings.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (gone.Count == 0)
        {
            return true;
        }

        var completed = (await store.CompleteBlobDeletionsAsync([.. gone.Select(r => r.Digest)], CancellationToken.None).ConfigureAwait(false)).ToHashSet();
        foreach (var review in gone.Where(r => completed.Contains(r.Digest)))
        {
            tally.Blob(review.Digest.ToString(), review.Size);
            metrics.BlobsDeleted.Add(1);
            metrics.BytesFreed.Add(review.Size);
        }

        return true;
    }

    /// <summary>Dry run: the store decides every due review in a transaction it rolls back.</summary>
    private async Task<bool> PlanAsync(GcRunRequest request, GcTally tally, CancellationToken cancellationToken)
    {
        var plan = await store.PlanAsync(Settings.Policy, Settings.MaxReviewsPerRun, cancellationToken).ConfigureAwait(false);
        foreach (var manifest in plan.Manifests)
        {
            tally.Manifest($"{manifest.Repository}@{manifest.Digest}");
        }

        foreach (var blob in plan.Blobs)
        {
            tally.Blob(blob.Digest.ToString(), blob.Size);
            tally.Links(blob.LinksPruned);
        }

        foreach (var session in await store.ListStaleUploadsAsync(time.GetUtcNow() - Settings.UploadExpiry, UploadBatch, cancellationToken).ConfigureAwait(false))
        {
            tally.Upload($"{session.Repository}/{session.Id:N}");
        }

        if (request.SweepStorage)
        {
            await SweepStorageAsync(dryRun: true, tally, cancellationToken).ConfigureAwait(false);
        }

        return plan.Complete;
    }

    /// <summary>Removes upload sessions nobody wrote to within <see cref="GcOptions.UploadExpiry"/>: row first (the client gets BLOB_UPLOAD_UNKNOWN), then data.</summary>
    private async Task ExpireUploadsAsync(GcTally tally, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stale = await store.ListStaleUploadsAsync(time.GetUtcNow() - Settings.UploadExpiry, UploadBatch, cancellationToken).ConfigureAwait(false);
            foreach (var session in stale)
            {
                if (await store.DeleteUploadAsync(session.Id, cancellationToken).ConfigureAwait(false))
                {
                    await driver.DeleteAsync(BlobPaths.Upload(session.Id), cancellationToken).ConfigureAwait(false);
                    tally.Upload($"{session.Repository}/{session.Id:N}");
                    metrics.UploadsExpired.Add(1);
                }
            }

            if (stale.Count < UploadBatch)
            {
                return;
            }
        }
    }

    private Task RunLoopsAsync(Func<CancellationToken, Task> loop, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, Settings.Concurrency).Select(_ => Task.Run(() => loop(cancellationToken), cancellationToken)));

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "garbage collection (dry run: {DryRun}) deleted {Manifests} manifests, {Blobs} blobs, {Uploads} uploads, {Orphans} orphans, {Bytes} bytes in {Milliseconds} ms")]
    private static partial void LogRunFinished(ILogger logger, bool dryRun, long manifests, long blobs, long uploads, long orphans, long bytes, double milliseconds);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "garbage collection failed; the next run takes over")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "failed to delete blob {Digest} from storage; retried later")]
    private static partial void LogBlobDeletionFailed(ILogger logger, Exception exception, string digest);
}
