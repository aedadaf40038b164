using System.Diagnostics;
using Strata.Cvmfs;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.History;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Publish.Storage;
using Strata.Publish.Trees;
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
    private const string ManifestFile = ".cvmfspublished";
    private readonly IBlobDriver _driver;
    private readonly RepositoryGcOptions _options;
    private readonly TimeProvider _time;
    private readonly CatalogCache _catalogs;
    private readonly string _prefix;

    public RepositoryGarbageCollector(IBlobDriver driver, RepositoryGcOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(options);
        _driver = driver;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _prefix = CvmfsStoragePaths.Prefix(options.RepositoryName);
        _catalogs = new CatalogCache(new DriverRepositorySource(driver, options.RepositoryName), Path.Combine(options.WorkDirectory, "gc-catalogs"));
    }

    /// <summary>Collects once; with <paramref name="dryRun"/> only counts what would be deleted.</summary>
    public async Task<RepositoryGcResult> CollectAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var now = _time.GetUtcNow();
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return new RepositoryGcResult(dryRun, 0, 0, 0, 0, 0, 0, 0, 0, 0, watch.Elapsed);
        }

        var marked = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<ContentHash>();
        Mark(marked, manifest.CertificateHash, ObjectKind.Certificate);
        Mark(marked, manifest.HistoryHash, ObjectKind.History);
        Mark(marked, manifest.MetaInfoHash, ObjectKind.MetaInfo);

        var roots = new List<(ContentHash Hash, long Size, long Revision)> { (manifest.RootCatalogHash, manifest.RootCatalogSize, manifest.Revision) };
        roots.AddRange(await ReadTaggedRootsAsync(manifest, cancellationToken).ConfigureAwait(false));
        roots.AddRange(await FindRecentRevisionsAsync(manifest, now - _options.RevisionRetention, cancellationToken).ConfigureAwait(false));
        var oldest = roots.Min(r => r.Revision);
        var preserved = roots.Select(r => r.Hash).Distinct().Count();
        foreach (var (hash, size, _) in roots)
        {
            await MarkCatalogTreeAsync(hash, size, marked, visited, cancellationToken).ConfigureAwait(false);
        }

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

        return new RepositoryGcResult(dryRun, manifest.Revision, preserved, oldest, visited.Count, marked.Count, stored, deleted, bytes, young, watch.Elapsed);
    }

    /// <summary>Root catalogs of the revisions before the current one that are younger than <paramref name="cutoff"/>.</summary>
    private async Task<List<(ContentHash, long, long)>> FindRecentRevisionsAsync(RepositoryManifest manifest, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var roots = new List<(ContentHash, long, long)>();
        using var current = await _catalogs.OpenAsync(manifest.RootCatalogHash, manifest.RootCatalogSize, cancellationToken).ConfigureAwait(false);
        var previous = current.PreviousRevision;
        while (previous is { } hash)
        {
            Catalog catalog;
            try
            {
                catalog = await _catalogs.OpenAsync(hash, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (CvmfsNotFoundException)
            {
                // Collected by an earlier run: everything before it is gone too.
                break;
            }

            using (catalog)
            {
                if (DateTimeOffset.FromUnixTimeSeconds(catalog.LastModified) < cutoff)
                {
                    break;
                }

                roots.Add((hash, 0, catalog.Revision));
                previous = catalog.PreviousRevision;
            }
        }

        return roots;
    }

    /// <summary>Root catalogs named by the current history database's tags (<c>trunk-previous</c> among them).</summary>
    private async Task<List<(ContentHash, long, long)>> ReadTaggedRootsAsync(RepositoryManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.HistoryHash is not { } history)
        {
            return [];
        }

        var file = Path.Combine(_options.WorkDirectory, "gc-history-" + Guid.NewGuid().ToString("N") + ".sqlite");
        Directory.CreateDirectory(_options.WorkDirectory);
        try
        {
            var fetcher = new ObjectFetcher(new DriverRepositorySource(_driver, _options.RepositoryName), new ObjectFetcherOptions { TemporaryDirectory = _options.WorkDirectory });
            await fetcher.FetchToFileAsync(new ObjectId(history, ObjectKind.History), file, 256L * 1024 * 1024, cancellationToken).ConfigureAwait(false);
            using var database = HistoryDatabase.Open(file);
            return database.Tags.Select(t => (t.RootCatalogHash, t.RootCatalogSize, t.Revision)).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Marks a catalog, every catalog nested in it and every object their entries name.</summary>
    private async Task MarkCatalogTreeAsync(ContentHash root, long rootSize, HashSet<string> marked, HashSet<ContentHash> visited, CancellationToken cancellationToken)
    {
        var pending = new Stack<(ContentHash Hash, long Size)>();
        pending.Push((root, rootSize));
        while (pending.TryPop(out var next))
        {
            if (!visited.Add(next.Hash))
            {
                continue;
            }

            Mark(marked, next.Hash, ObjectKind.Catalog);
            using var catalog = await _catalogs.OpenAsync(next.Hash, next.Size, cancellationToken).ConfigureAwait(false);
            foreach (var entry in catalog.EnumerateEntries())
            {
                if (entry.ContentHash is not { IsEmpty: false } content)
                {
                    continue;
                }

                Mark(marked, content, ObjectKind.File);
                if (entry.IsChunked)
                {
                    foreach (var chunk in catalog.ListChunks(entry.Key, entry.HashAlgorithm))
                    {
                        Mark(marked, chunk.Hash, ObjectKind.Partial);
                    }
                }
            }

            foreach (var nested in catalog.NestedCatalogs)
            {
                pending.Push((nested.Hash, nested.Size));
            }
        }
    }

    private static void Mark(HashSet<string> marked, ContentHash? hash, ObjectKind kind)
    {
        if (hash is { IsEmpty: false } value)
        {
            marked.Add(new ObjectId(value, kind).Path);
        }
    }

    private async Task<RepositoryManifest?> ReadManifestAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stream = await _driver.OpenReadAsync(_prefix + ManifestFile, 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return SignedManifest.Parse(buffer.ToArray()).Manifest;
            }
        }
        catch (StoredObjectNotFoundException)
        {
            return null;
        }
    }
}
