using System.Diagnostics.Metrics;

namespace Strata.Registry.Gc;

/// <summary>
/// Garbage collection instruments (meter <c>Strata.Registry.Gc</c>), for the Prometheus exporter.
/// Counters only move on real runs; a dry run is reported, not counted.
/// </summary>
public sealed class GcMetrics : IDisposable
{
    public const string MeterName = "Strata.Registry.Gc";

    private readonly Meter _meter;

    public GcMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Runs = _meter.CreateCounter<long>("strata.gc.runs", "{run}", "Collection runs, by status");
        ManifestsDeleted = _meter.CreateCounter<long>("strata.gc.manifests.deleted", "{manifest}", "Manifests deleted");
        BlobsDeleted = _meter.CreateCounter<long>("strata.gc.blobs.deleted", "{blob}", "Blobs deleted from storage and metadata");
        BytesFreed = _meter.CreateCounter<long>("strata.gc.bytes.freed", "By", "Blob bytes deleted");
        UploadsExpired = _meter.CreateCounter<long>("strata.gc.uploads.expired", "{upload}", "Abandoned upload sessions removed");
        OrphansDeleted = _meter.CreateCounter<long>("strata.gc.orphans.deleted", "{object}", "Stored objects no metadata knew, removed");
        DeletionFailures = _meter.CreateCounter<long>("strata.gc.deletion.failures", "{blob}", "Blob deletions postponed after a storage error");
        ManifestsReviewed = _meter.CreateCounter<long>("strata.gc.manifests.reviewed", "{manifest}", "Manifest reviews decided");
        BlobsReviewed = _meter.CreateCounter<long>("strata.gc.blobs.reviewed", "{blob}", "Blob reviews decided");
        RunDuration = _meter.CreateHistogram<double>("strata.gc.run.duration", "s", "Duration of collection runs");
        _meter.CreateObservableGauge("strata.gc.last_run.duration", () => Volatile.Read(ref _lastRunSeconds), "s", "Duration of the last collection run of this process");
        _meter.CreateObservableGauge("strata.gc.last_run.time", () => Volatile.Read(ref _lastRunFinished), "s", "When the last collection run of this process finished (Unix time)");
    }

    private double _lastRunSeconds;
    private double _lastRunFinished;

    /// <summary>Counts a finished real run and remembers its duration and end for the last-run gauges.</summary>
    public void RecordRun(string status, TimeSpan duration, DateTimeOffset finished)
    {
        Runs.Add(1, new KeyValuePair<string, object?>("status", status));
        RunDuration.Record(duration.TotalSeconds);
        Volatile.Write(ref _lastRunSeconds, duration.TotalSeconds);
        Volatile.Write(ref _lastRunFinished, finished.ToUnixTimeMilliseconds() / 1000.0);
    }

    public Counter<long> Runs { get; }
    public Counter<long> ManifestsReviewed { get; }
    public Counter<long> BlobsReviewed { get; }
    public Counter<long> ManifestsDeleted { get; }
    public Counter<long> BlobsDeleted { get; }
    public Counter<long> BytesFreed { get; }
    public Counter<long> UploadsExpired { get; }
    public Counter<long> OrphansDeleted { get; }
    public Counter<long> DeletionFailures { get; }
    public Histogram<double> RunDuration { get; }

    public void Dispose() => _meter.Dispose();
}
