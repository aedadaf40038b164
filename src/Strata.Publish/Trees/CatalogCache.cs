using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;

namespace Strata.Publish.Trees;

/// <summary>
/// Decompressed catalogs on local disk, by hash. Catalogs are content-addressed and immutable, so a
/// cached file is never stale; the publisher keeps the ones it writes (no download to flatten a
/// layer it just ingested) and fetches others through the verifying object fetcher.
/// </summary>
public sealed class CatalogCache
{
    private readonly ObjectFetcher _fetcher;
    private readonly string _directory;
    private readonly long _maxCatalogSize;

    public CatalogCache(IRepositorySource source, string directory, long maxCatalogSize = 4L * 1024 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(source);
        _directory = directory;
        _maxCatalogSize = maxCatalogSize;
        Directory.CreateDirectory(directory);
        _fetcher = new ObjectFetcher(source, new ObjectFetcherOptions { TemporaryDirectory = directory });
    }

    /// <summary>Opens a catalog (fetching it once); dispose the result.</summary>
    public async Task<Catalog> OpenAsync(ContentHash hash, long size, CancellationToken cancellationToken)
    {
        var file = FileFor(hash);
        if (!File.Exists(file))
        {
            var limit = size > 0 ? Math.Min(size, _maxCatalogSize) : _maxCatalogSize;
            await _fetcher.FetchToFileAsync(new ObjectId(hash, ObjectKind.Catalog), file, limit, cancellationToken).ConfigureAwait(false);
        }

        return Catalog.Open(file);
    }

    /// <summary>Keeps a copy of a catalog file this process wrote and stored as <paramref name="hash"/>.</summary>
    public void Adopt(ContentHash hash, string file)
    {
        var target = FileFor(hash);
        if (File.Exists(target))
        {
            return;
        }

        var temporary = target + ".part-" + Guid.NewGuid().ToString("N");
        File.Copy(file, temporary);
        File.Move(temporary, target, overwrite: true);
    }

    private string FileFor(ContentHash hash) => Path.Combine(_directory, hash + "C.sqlite");
}
