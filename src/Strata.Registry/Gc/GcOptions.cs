using System.ComponentModel.DataAnnotations;
using Strata.Metadata.Contracts.Gc;

namespace Strata.Registry.Gc;

/// <summary>Settings of online garbage collection (configuration section <c>Gc</c>).</summary>
public sealed class GcOptions
{
    public const string Section = "Gc";

    /// <summary>Whether this process collects in the background (every <see cref="Interval"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long after its last change something unreferenced is kept: a push has this long between
    /// uploading its blobs and pushing the manifest, a client this long to tag a manifest pushed by
    /// digest. GitLab's default: one day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Upload sessions not written to for this long are abandoned: their data is removed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether manifests that no tag, index or subject keeps are deleted (GitLab and Harbor do by default).</summary>
    public bool DeleteUntagged { get; set; } = true;

    /// <summary>How often due reviews and expired uploads are collected (cheap when nothing is due).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often storage is listed for bytes no metadata knows (a crash between storing and linking)
    /// and upload folders without a session; zero turns it off. It lists every object, so it is rare.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan StorageSweepInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a worker owns a review it took; a crashed worker's review is finished by another after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Reviews decided at once (blob deletions are storage round trips, so several overlap).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Reviews one run decides at most (a huge backlog is worked off over several runs).</summary>
    [Range(1, 100_000_000)]
    public int MaxReviewsPerRun { get; set; } = 1_000_000;

    /// <summary>
    /// Reviews decided together: on SQLite one short transaction per batch (a batch also ends after
    /// 5 ms of work), instead of one per review.
    /// </summary>
    [Range(1, 10_000)]
    public int ReviewBatchSize { get; set; } = 200;

    /// <summary>
    /// The share of time a collection run may work, its loops together (1: no pauses). After a batch that took t the run
    /// pauses t × (1 − share) / share, leaving the rest of the cores and of the database to requests.
    /// Default 0.15: on a small machine the collector's SQL work competes with requests for the cores and
    /// SQLite's single writer, and the push/pull throughput lost during collection grew with the share
    /// (about 22 % lost at 0.5 before the third pass); at 0.15 the registry kept 89 % of its rate in the
    /// benchmark and a 100,000-blob registry was collected in about 1.5 min (over 1,000 reviews/s, far
    /// above any steady push rate). Operators of idle or large machines raise it
    /// (docs/architecture.md, "GC pace and a steady benchmark"; docs/benchmarks.md).
    /// </summary>
    [Range(0.01, 1.0)]
    public double WorkShare { get; set; } = 0.15;

    /// <summary>How long a push waits for a deletion of the same blob in progress before it answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BlobDeletionWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The review policy these settings describe.</summary>
    public GcPolicy Policy => new(GracePeriod, LeaseDuration, DeleteUntagged);
}
