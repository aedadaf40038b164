namespace Strata.Publish.Gc;

/// <summary>Settings of <see cref="RepositoryGarbageCollector"/>.</summary>
public sealed record RepositoryGcOptions
{
    /// <summary>The repository (fqrn) under <c>cvmfs/</c> of the blob driver.</summary>
    public required string RepositoryName { get; init; }

    /// <summary>Where catalogs are decompressed while they are walked (a cache: catalogs are immutable).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>
    /// Revisions published within this span are preserved (clients that mounted them keep reading), as
    /// are the current revision and every named tag; older ones are condemned. cvmfs_server's default
    /// (<c>CVMFS_AUTO_GC_TIMESPAN</c>): three days.
    /// </summary>
    public TimeSpan RevisionRetention { get; init; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Objects written within this span are never swept: a publication stores its objects before the
    /// manifest that names them.
    /// </summary>
    public TimeSpan ObjectGrace { get; init; } = TimeSpan.FromHours(1);
}
