using Strata.Cvmfs;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.History;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Publish.Trees;

namespace Strata.Publish.Gc;

/// <summary>
/// The mark phase of a CernVM-FS collection, over any repository source (the blob driver a Stratum 0
/// publishes into, a Stratum 1 directory made by <c>strata mirror</c>): preserves the current revision,
/// every revision the history database tags and every revision younger than the retention (found by
/// following <c>previous_revision</c> back from the current root catalog, up to the first one older or
/// missing), and marks every object their catalogs reach, plus the current certificate, history and meta-info.
/// </summary>
public sealed class ReachableObjectMarker
{
    private const string ManifestFile = ".cvmfspublished";
    private readonly IRepositorySource _source;
    private readonly string _workDirectory;
    private readonly CatalogCache _catalogs;

    public ReachableObjectMarker(IRepositorySource source, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        _source = source;
        _workDirectory = workDirectory;
        _catalogs = new CatalogCache(source, Path.Combine(workDirectory, "gc-catalogs"));
    }

    /// <summary>Marks what the preserved revisions reach; null when the repository has no manifest yet.</summary>
    /// <param name="retainSince">Revisions published since then are preserved.</param>
    /// <param name="skipAbsentRoots">
    /// A tagged revision whose root catalog is not stored is skipped instead of failing the run: a
    /// mirror made without tagged revisions has none of them (and whatever root it has, it has whole).
    /// </param>
    public async Task<ReachableObjects?> MarkAsync(DateTimeOffset retainSince, bool skipAbsentRoots, CancellationToken cancellationToken)
    {
        var manifest = await ReadManifestAsync(cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return null;
        }

        var marked = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<ContentHash>();
        Mark(marked, manifest.CertificateHash, ObjectKind.Certificate);
        Mark(marked, manifest.HistoryHash, ObjectKind.History);
        Mark(marked, manifest.MetaInfoHash, ObjectKind.MetaInfo);

        var roots = new List<(ContentHash Hash, long Size, long Revision)> { (manifest.RootCatalogHash, manifest.RootCatalogSize, manifest.Revision) };
        foreach (var tagged in await ReadTaggedRootsAsync(manifest, cancellationToken).ConfigureAwait(false))
        {
            if (!skipAbsentRoots || await IsStoredAsync(tagged.Item1, cancellationToken).ConfigureAwait(false))
            {
                roots.Add(tagged);
            }
        }

        roots.AddRange(await FindRecentRevisionsAsync(manifest, retainSince, cancellationToken).ConfigureAwait(false));
        foreach (var (hash, size, _) in roots)
        {
            await MarkCatalogTreeAsync(hash, size, marked, visited, cancellationToken).ConfigureAwait(false);
        }

        return new ReachableObjects(manifest, marked, roots.Select(r => r.Hash).Distinct().Count(), roots.Min(r => r.Revision), visited.Count);
    }

    private async Task<bool> IsStoredAsync(ContentHash catalog, CancellationToken cancellationToken)
    {
        try
        {
            using var opened = await _catalogs.OpenAsync(catalog, 0, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CvmfsNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The catalogs nested directly in a stored catalog (for deleting parents before children).</summary>
    public async Task<IReadOnlyList<string>> ListNestedCatalogsAsync(ContentHash catalog, CancellationToken cancellationToken)
    {
        using var opened = await _catalogs.OpenAsync(catalog, 0, cancellationToken).ConfigureAwait(false);
        return [.. opened.NestedCatalogs.Select(n => new ObjectId(n.Hash, ObjectKind.Catalog).Path)];
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

        var file = Path.Combine(_workDirectory, "gc-history-" + Guid.NewGuid().ToString("N") + ".sqlite");
        Directory.CreateDirectory(_workDirectory);
        try
        {
            var fetcher = new ObjectFetcher(_source, new ObjectFetcherOptions { TemporaryDirectory = _workDirectory });
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
            var stream = await _source.OpenReadAsync(ManifestFile, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return SignedManifest.Parse(buffer.ToArray()).Manifest;
            }
        }
        catch (CvmfsNotFoundException)
        {
            return null;
        }
    }
}
