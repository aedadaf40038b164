using Strata.Cvmfs;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Client.Mirror;

/// <summary>The catalog walk: post-order, skipping subtrees already mirrored.</summary>
public sealed partial class RepositoryMirror
{
    private const long MaxStoredObject = 4L * 1024 * 1024 * 1024;
    private const int MaxCatalogDepth = 64;

    /// <summary>Makes <paramref name="id"/> present in <c>data/</c>: already there, staged earlier, or downloaded now (hash verified).</summary>
    private async Task EnsureObjectAsync(ObjectId id, long maxStoredBytes, CancellationToken cancellationToken)
    {
        if (_store.IsPresent(id))
        {
            Present();
            return;
        }

        if (_store.Promote(id))
        {
            return;
        }

        Fetched(await _store.DownloadAsync(_fetcher, id, maxStoredBytes, _store.FinalPath(id), cancellationToken).ConfigureAwait(false));
    }

    private sealed class CatalogWalk
    {
        private readonly RepositoryMirror _mirror;
        private readonly ObjectFetcher _catalogs;
        private readonly string _work;
        private readonly HashSet<ContentHash> _visited = [];

        public CatalogWalk(RepositoryMirror mirror, ObjectFetcher catalogs, string work)
        {
            _mirror = mirror;
            _catalogs = catalogs;
            _work = work;
        }

        public Task RunAsync(ContentHash rootCatalog, long size, CancellationToken cancellationToken) =>
            WalkAsync(rootCatalog, size, null, 0, cancellationToken);

        private async Task WalkAsync(ContentHash hash, long size, string? expectedPrefix, int depth, CancellationToken cancellationToken)
        {
            var id = new ObjectId(hash, ObjectKind.Catalog);
            if (!_visited.Add(hash))
            {
                return;
            }

            // Catalogs reach data/ only after their subtree: a present catalog stands for a complete subtree.
            if (_mirror._store.IsPresent(id))
            {
                _mirror.Present();
                return;
            }

            if (depth > MaxCatalogDepth)
            {
                throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"Catalogs nest deeper than {MaxCatalogDepth} levels.");
            }

            var (objects, nested) = await ReadCatalogAsync(id, size, expectedPrefix, cancellationToken).ConfigureAwait(false);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _mirror._options.Parallelism), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(objects, parallel, (o, ct) => new ValueTask(_mirror.EnsureObjectAsync(o.Key, o.Value, ct))).ConfigureAwait(false);
            foreach (var child in nested)
            {
                await WalkAsync(child.Hash, child.Size, child.Path, depth + 1, cancellationToken).ConfigureAwait(false);
            }

            // Staged when it was read above (verified then); promoted only now.
            if (!_mirror._store.Promote(id))
            {
                await _mirror.EnsureObjectAsync(id, MaxStoredObject, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<(Dictionary<ObjectId, long> Objects, List<NestedCatalogReference> Nested)> ReadCatalogAsync(ObjectId id, long size, string? expectedPrefix, CancellationToken cancellationToken)
        {
            var file = Path.Combine(_work, Guid.NewGuid().ToString("N") + ".sqlite");
            await _catalogs.FetchToFileAsync(id, file, size > 0 ? size : MaxStoredObject, cancellationToken).ConfigureAwait(false);
            try
            {
                using var catalog = Catalog.Open(file);
                var prefix = catalog.RootPrefix;
                if (expectedPrefix is null ? prefix.Length > 0 && prefix != "/" : prefix != expectedPrefix)
                {
                    throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"Catalog {id.Hash} has root prefix '{prefix}', expected '{expectedPrefix ?? "/"}'.");
                }

                // Object -> largest stored size accepted (decoded size from the catalog plus zlib's worst case).
                var objects = new Dictionary<ObjectId, long>();
                foreach (var row in catalog.EnumerateEntries())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (row.Kind != EntryKind.File || row.Flags.HasFlag(EntryFlags.External))
                    {
                        continue;
                    }

                    if (row.ContentHash is { } content)
                    {
                        objects[new ObjectId(content, ObjectKind.File)] = ObjectDecoder.MaxStoredSize(row.Size, row.Compression);
                    }

                    if (row.IsChunked)
                    {
                        foreach (var chunk in catalog.ListChunks(row.Key, row.HashAlgorithm))
                        {
                            objects[new ObjectId(chunk.Hash, ObjectKind.Partial)] = ObjectDecoder.MaxStoredSize(chunk.Size, row.Compression);
                        }
                    }
                }

                return (objects, [.. catalog.NestedCatalogs]);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
