using System.Diagnostics;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Publish.Gc.Mirror;

/// <summary>
/// Collects a Stratum 1 made by <c>strata mirror</c> the way the repository is collected: the same
/// preserved revisions (<see cref="ReachableObjectMarker"/>), and every other object under
/// <c>data/</c> older than the grace is deleted. Safe while a web server serves the directory (the
/// current manifest's objects and every preserved revision's stay; files are unlinked, so a reader that
/// opened one finishes) and while <c>strata mirror --watch</c> runs (both hold the run lock, see
/// <see cref="MirrorDirectoryLock"/>).
/// </summary>
/// <remarks>
/// The mirror skips a catalog it finds in place, trusting that "a present catalog means a complete
/// subtree" (it moves a catalog in only after everything below it). A collection keeps that true even
/// if it is killed halfway: it deletes unreachable catalogs first, each before the catalogs nested in
/// it, and only then the other objects. So a catalog left behind by an interrupted run still has its
/// whole subtree, and the next run finishes the job.
/// </remarks>
public sealed class MirrorGarbageCollector(MirrorGcOptions options, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Collects once; with <paramref name="dryRun"/> lists what a real run would delete now and deletes nothing.</summary>
    public async Task<MirrorGcResult> CollectAsync(bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.GetFullPath(options.Directory);
        if (!File.Exists(Path.Combine(root, ".cvmfspublished")))
        {
            throw new DirectoryNotFoundException($"{root} is not a mirror made by strata mirror (no .cvmfspublished).");
        }

        var watch = Stopwatch.StartNew();
        var work = Path.Combine(Path.GetTempPath(), "strata-mirror-gc-" + Guid.NewGuid().ToString("N"));
        await using var gate = await MirrorDirectoryLock.AcquireAsync(root, options.LockTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var marker = new ReachableObjectMarker(new FileSystemRepositorySource(root), work);
            var reachable = await marker.MarkAsync(now - options.RevisionRetention, skipAbsentRoots: true, cancellationToken).ConfigureAwait(false)
                ?? throw new DirectoryNotFoundException($"{root} has no manifest.");

            var sweepBefore = now - options.ObjectGrace;
            var catalogs = new List<string>();
            var others = new List<string>();
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            long stored = 0, young = 0;
            foreach (var (relative, kind, file) in ListObjects(root))
            {
                stored++;
                if (reachable.Objects.Contains(relative))
                {
                    continue;
                }

                if (file.LastWriteTimeUtc > sweepBefore.UtcDateTime)
                {
                    young++;
                    continue;
                }

                sizes[relative] = file.Length;
                (kind == ObjectKind.Catalog ? catalogs : others).Add(relative);
            }

            var order = await OrderParentsFirstAsync(marker, catalogs, cancellationToken).ConfigureAwait(false);
            order.AddRange(others);
            long bytes = 0;
            foreach (var relative in order)
            {
                if (!dryRun)
                {
                    File.Delete(Path.Combine(root, relative));
                }

                bytes += sizes[relative];
            }

            var summary = new RepositoryGcResult(
                dryRun, reachable.Manifest.Revision, reachable.PreservedRevisions, reachable.OldestPreservedRevision, reachable.CatalogsVisited,
                reachable.Objects.Count, stored, order.Count, bytes, young, watch.Elapsed);
            return new MirrorGcResult(summary, order);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Every object file under <c>data/xx/</c> (not <c>data/txn/</c>), with its repository-relative path.</summary>
    private static IEnumerable<(string Relative, ObjectKind Kind, FileInfo File)> ListObjects(string root)
    {
        var data = new DirectoryInfo(Path.Combine(root, "data"));
        if (!data.Exists)
        {
            yield break;
        }

        foreach (var bucket in data.EnumerateDirectories())
        {
            if (bucket.Name.Length != 2)
            {
                continue;
            }

            foreach (var file in bucket.EnumerateFiles())
            {
                var relative = $"data/{bucket.Name}/{file.Name}";
                if (ObjectId.TryParsePath(relative, out var id))
                {
                    yield return (relative, id.Kind, file);
                }
            }
        }
    }

    /// <summary>Unreachable catalogs ordered so each comes before the catalogs nested in it (unreadable ones first).</summary>
    private static async Task<List<string>> OrderParentsFirstAsync(ReachableObjectMarker marker, List<string> catalogs, CancellationToken cancellationToken)
    {
        var set = catalogs.ToHashSet(StringComparer.Ordinal);
        var children = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var parents = catalogs.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        var ordered = new List<string>(catalogs.Count);
        foreach (var catalog in catalogs)
        {
            IReadOnlyList<string> nested;
            try
            {
                ObjectId.TryParsePath(catalog, out var id);
                nested = await marker.ListNestedCatalogsAsync(id.Hash, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unreadable (truncated by a crash, corrupt): it vouches for no subtree; goes first.
                nested = [];
                ordered.Add(catalog);
                parents.Remove(catalog);
            }

            children[catalog] = [.. nested.Where(set.Contains)];
        }

        foreach (var list in children.Values)
        {
            foreach (var child in list.Where(parents.ContainsKey))
            {
                parents[child]++;
            }
        }

        // Kahn's order: a catalog is deleted once every unreachable catalog naming it has been.
        var ready = new Queue<string>(parents.Where(p => p.Value == 0).Select(p => p.Key).Order(StringComparer.Ordinal));
        while (ready.TryDequeue(out var next))
        {
            ordered.Add(next);
            foreach (var child in children[next].Where(parents.ContainsKey))
            {
                if (--parents[child] == 0)
                {
                    ready.Enqueue(child);
                }
            }
        }

        // Content addressing makes cycles impossible; should one appear anyway, nothing is left out.
        ordered.AddRange(parents.Keys.Where(c => !ordered.Contains(c)).Order(StringComparer.Ordinal));
        return ordered;
    }
}
