using System.Runtime.CompilerServices;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reading;

/// <summary>Enumeration of every object a revision reaches, for mirrors and garbage collection.</summary>
public sealed partial class RepositoryReader
{
    /// <summary>
    /// Every object the open revision reaches (and, with <paramref name="includeTaggedRevisions"/>,
    /// every revision named in the history database), in an order a mirror can copy them in: a
    /// catalog's file objects and chunks, then its nested catalogs (each the same way), then the
    /// catalog itself. So once a catalog is stored, its whole subtree is, and a mirror may skip any
    /// catalog it already has (cvmfs <c>swissknife pull</c> relies on the same property). The
    /// certificate, history and meta-info objects come last, just before the manifest would.
    /// </summary>
    /// <remarks>
    /// Catalogs are visited once; file objects shared by several catalogs may be yielded more than
    /// once (keeping no global set keeps memory bounded on large repositories).
    /// </remarks>
    public async IAsyncEnumerable<ObjectId> EnumerateObjectsAsync(bool includeTaggedRevisions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var visited = new HashSet<ContentHash>();
        var roots = new List<(ContentHash Hash, long Size)> { (RootCatalogHash, 0) };
        if (includeTaggedRevisions)
        {
            foreach (var tag in await ListTagsAsync(cancellationToken).ConfigureAwait(false))
            {
                roots.Add((tag.RootCatalogHash, tag.RootCatalogSize));
            }
        }

        foreach (var (hash, size) in roots)
        {
            await foreach (var id in WalkCatalogAsync(hash, size, null, 0, visited, cancellationToken).ConfigureAwait(false))
            {
                yield return id;
            }
        }

        var manifest = Manifest.Manifest;
        if (manifest.CertificateHash is { IsEmpty: false } certificate)
        {
            yield return new ObjectId(certificate, ObjectKind.Certificate);
        }

        if (manifest.HistoryHash is { IsEmpty: false } history)
        {
            yield return new ObjectId(history, ObjectKind.History);
        }

        if (manifest.MetaInfoHash is { IsEmpty: false } metaInfo)
        {
            yield return new ObjectId(metaInfo, ObjectKind.MetaInfo);
        }
    }

    private async IAsyncEnumerable<ObjectId> WalkCatalogAsync(ContentHash hash, long size, string? expectedPrefix, int depth, HashSet<ContentHash> visited, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!visited.Add(hash))
        {
            yield break;
        }

        if (depth > _options.MaxCatalogDepth)
        {
            throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"Catalogs nest deeper than {_options.MaxCatalogDepth} levels.");
        }

        // A private copy: walking never touches the catalogs mounted for lookups, and the copy is
        // deleted right after, so walking a large repository does not keep every catalog on disk.
        var file = Path.Combine(_workDirectory, "walk-" + Guid.NewGuid().ToString("N") + ".sqlite");
        var limit = size > 0 ? Math.Min(size, _options.MaxDatabaseSize) : _options.MaxDatabaseSize;
        await _fetcher.FetchToFileAsync(new ObjectId(hash, ObjectKind.Catalog), file, limit, cancellationToken).ConfigureAwait(false);
        var catalog = Catalog.Open(file);
        List<NestedCatalogReference> nested;
        try
        {
            if (expectedPrefix is not null && catalog.RootPrefix != expectedPrefix)
            {
                throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"Catalog {hash} has root prefix '{catalog.RootPrefix}', expected '{expectedPrefix}'.");
            }

            foreach (var row in catalog.EnumerateEntries())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (row.Kind != EntryKind.File || row.Flags.HasFlag(EntryFlags.External))
                {
                    continue;
                }

                // A chunked file may also carry a legacy bulk hash; both are objects.
                if (row.ContentHash is { } content)
                {
                    yield return new ObjectId(content, ObjectKind.File);
                }

                if (row.IsChunked)
                {
                    foreach (var chunk in catalog.ListChunks(row.Key, row.HashAlgorithm))
                    {
                        yield return new ObjectId(chunk.Hash, ObjectKind.Partial);
                    }
                }
            }

            nested = [.. catalog.NestedCatalogs];
        }
        finally
        {
            catalog.Dispose();
            File.Delete(file);
        }

        foreach (var child in nested)
        {
            await foreach (var id in WalkCatalogAsync(child.Hash, child.Size, child.Path, depth + 1, visited, cancellationToken).ConfigureAwait(false))
            {
                yield return id;
            }
        }

        yield return new ObjectId(hash, ObjectKind.Catalog);
    }
}
