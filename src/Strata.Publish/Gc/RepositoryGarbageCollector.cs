using System.Diagnostics;
using Strata.Cvmfs.Objects;
using Strata.Publish.Storage;
using Strata.Storage.Drivers;

namespace Strata.Publish.Gc;

/// <summary>
/// Mark and sweep of a CernVM-FS repository's objects, as <c>cvmfs_server gc</c> does: revisions
/// older than <see cref="RepositoryGcOptions.RevisionRetention"/> that no named tag keeps are
/// condemned; every object reachable from a preserved revision's root catalog (nested catalogs, file
/// objects, chunks) and the current certificate, history and meta-info are marked; every other object
/// under <c>data/</c> older than <see cref="RepositoryGcOptions.ObjectGrace"/> is deleted.
/// </summary>
/// <remarks>
/// <para>
/// Revisions are found by following each root catalog's <c>previous_revision</c> back from the
/// current one (this repository keeps no reflog): the walk stops at the first revision older than the
/// retention, which with every older one is condemned. Catalogs shared by several revisions are
/// walked once.
/// </para>
/// <para>
/// Must not run while a publication of the same repository is in progress: the publisher skips
/// writing an object that exists, and a sweep between that check and its commit would delete it. The
/// server serializes the two with <see cref="RepositoryMaintenanceGate"/>.
/// </para>
/// </remarks>
public sealed class RepositoryGarbageCollector
{
    private readonly IBlobDriver _driver;
    private readonly RepositoryGcOptions _options;
    private readonly TimeProvider _time;
    private readonly ReachableObjectMarker _marker;
    private readonly string _prefix;

    public RepositoryGarbageCollector(IBlobDriver driver, RepositoryGcOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(options);
        _driver = driver;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _prefix = CvmfsStoragePaths.Prefix(options.RepositoryName);
        _marker = new ReachableObjectMarker(new DriverRepositorySource(driver, options.RepositoryName), options.WorkDirectory);
    }

    /// <summary>Collects once; with <paramref name="dryRun"/> only counts what would be deleted.</summary>
    public async Task<RepositoryGcResult> CollectAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = _time.GetUtcNow();
        var reachable = await _marker.MarkAsync(now - _options.RevisionRetention, skipAbsentRoots: false, cancellationToken).ConfigureAwait(false);
        if (reachable is null)
        {
            return new RepositoryGcResult(dryRun, 0, 0, 0, 0, 0, 0, 0, 0, 0, watch.Elapsed);
        }

        var marked = reachable.Objects;
        long stored = 0, deleted = 0, bytes = 0, young = 0;
        var sweepBefore = now - _options.ObjectGrace;
        await foreach (var item in _driver.ListAsync(_prefix + "data", cancellationToken).ConfigureAwait(false))
        {
            var relative = item.Path[_prefix.Length..];
            if (!ObjectId.TryParsePath(relative, out _))
            {
                continue;
            }

            stored++;
            if (marked.Contains(relative))
            {
                continue;
            }

            if (item.LastModified > sweepBefore)
            {
                young++;
                continue;
            }

            if (!dryRun)
            {
                await _driver.DeleteAsync(item.Path, cancellationToken).ConfigureAwait(false);
            }

            deleted++;
            bytes += item.Size;
        }

        return new RepositoryGcResult(dryRun, reachable.Manifest.Revision, reachable.PreservedRevisions, reachable.OldestPreservedRevision, reachable.CatalogsVisited, marked.Count, stored, deleted, bytes, young, watch.Elapsed);
    }
}
