using System.Diagnostics.Metrics;
using Strata.Metadata.Contracts.Gc;

namespace Strata.Server.Metrics;

/// <summary>
/// The review-queue depth as gauges (meter <c>Strata.Gc.Backlog</c>): manifest and blob reviews
/// waiting (due or not) and blobs marked deleting. Read from the metadata store when scraped, at most
/// once per <see cref="CacheDuration"/>, so scrapes from several Prometheus servers cost one query.
/// </summary>
public sealed class GcBacklogGauges : IDisposable
{
    public const string MeterName = "Strata.Gc.Backlog";

    private static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly IGarbageCollectionStore _store;
    private readonly TimeProvider _time;
    private readonly Meter _meter;
    private GcBacklog? _backlog;
    private DateTimeOffset _readAt;

    public GcBacklogGauges(IGarbageCollectionStore store, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        _store = store;
        _time = time;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("strata.gc.queue.manifest_reviews", () => Read()?.ManifestReviews ?? 0, "{review}", "Manifest reviews waiting (due or not)");
        _meter.CreateObservableGauge("strata.gc.queue.blob_reviews", () => Read()?.BlobReviews ?? 0, "{review}", "Blob reviews waiting (due or not)");
        _meter.CreateObservableGauge("strata.gc.queue.blobs_deleting", () => Read()?.BlobsDeleting ?? 0, "{blob}", "Blobs marked deleting (bytes being removed)");
    }

    private GcBacklog? Read()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_backlog is null || now - _readAt >= CacheDuration)
            {
                try
                {
                    // Gauges are read synchronously by the exporter; the query is three indexed counts.
                    _backlog = _store.GetBacklogAsync(CancellationToken.None).GetAwaiter().GetResult();
                    _readAt = now;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A store that does not answer leaves the last figures (or none); /readyz reports the outage.
                }
            }

            return _backlog;
        }
    }

    public void Dispose() => _meter.Dispose();
}
