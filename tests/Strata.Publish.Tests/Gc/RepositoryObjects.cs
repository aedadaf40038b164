using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Publish.Trees;

namespace Strata.Publish.Tests.Gc;

/// <summary>
/// What a repository directory (a Stratum 0 or a mirror) holds and what its revisions reach, found
/// independently of the collectors under test: the stored files listed, each revision's tree walked
/// through its catalogs.
/// </summary>
internal static class RepositoryObjects
{
    /// <summary>Every object file under <c>data/</c>, as repository-relative paths.</summary>
    public static HashSet<string> Stored(string repositoryDirectory) =>
        Directory.EnumerateFiles(Path.Combine(repositoryDirectory, "data"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repositoryDirectory, f).Replace('\\', '/'))
            .Where(p => ObjectId.TryParsePath(p, out _))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every object the given revisions reach, plus the current certificate and history, walking back
    /// from <paramref name="current"/>'s root catalog through the previous-revision links.
    /// </summary>
    public static async Task<HashSet<string>> ReachableAsync(
        RepositoryReader current, string repositoryDirectory, string scratchDirectory, long[] revisions, CancellationToken cancellationToken)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var manifest = current.Manifest.Manifest;
        reachable.Add(new ObjectId(manifest.CertificateHash!.Value, ObjectKind.Certificate).Path);
        reachable.Add(new ObjectId(manifest.HistoryHash!.Value, ObjectKind.History).Path);
        var cache = new CatalogCache(new FileSystemRepositorySource(repositoryDirectory), Path.Combine(scratchDirectory, "verify-" + Guid.NewGuid().ToString("N")));
        var root = manifest.RootCatalogHash;
        for (var revision = manifest.Revision; revision >= revisions.Min(); revision--)
        {
            using var catalog = await cache.OpenAsync(root, 0, cancellationToken);
            if (revisions.Contains(revision))
            {
                await AddTreeAsync(cache, root, reachable, cancellationToken);
            }

            if (catalog.PreviousRevision is not { } previous)
            {
                break;
            }

            root = previous;
        }

        return reachable;
    }

    /// <summary>
    /// The revisions still stored before the current one, newest first, with the time each was
    /// published (its root catalog's <c>last_modified</c>), following previous-revision links back to
    /// the first root catalog that is gone.
    /// </summary>
    public static async Task<List<(long Revision, DateTimeOffset Published)>> RevisionsAsync(
        RepositoryReader current, string repositoryDirectory, string scratchDirectory, CancellationToken cancellationToken)
    {
        var revisions = new List<(long, DateTimeOffset)>();
        var cache = new CatalogCache(new FileSystemRepositorySource(repositoryDirectory), Path.Combine(scratchDirectory, "verify-" + Guid.NewGuid().ToString("N")));
        using var root = await cache.OpenAsync(current.Manifest.Manifest.RootCatalogHash, 0, cancellationToken);
        var previous = root.PreviousRevision;
        while (previous is { } hash && File.Exists(Path.Combine(repositoryDirectory, new ObjectId(hash, ObjectKind.Catalog).Path)))
        {
            using var catalog = await cache.OpenAsync(hash, 0, cancellationToken);
            revisions.Add((catalog.Revision, DateTimeOffset.FromUnixTimeSeconds(catalog.LastModified)));
            previous = catalog.PreviousRevision;
        }

        return revisions;
    }

    private static async Task AddTreeAsync(CatalogCache cache, ContentHash hash, HashSet<string> reachable, CancellationToken cancellationToken)
    {
        reachable.Add(new ObjectId(hash, ObjectKind.Catalog).Path);
        using var catalog = await cache.OpenAsync(hash, 0, cancellationToken);
        foreach (var entry in catalog.ListAll())
        {
            if (entry.ContentHash is { IsEmpty: false } content)
            {
                reachable.Add(new ObjectId(content, ObjectKind.File).Path);
                foreach (var chunk in entry.IsChunked ? catalog.ListChunks(entry.Key, entry.HashAlgorithm) : [])
                {
                    reachable.Add(new ObjectId(chunk.Hash, ObjectKind.Partial).Path);
                }
            }
        }

        foreach (var nested in catalog.NestedCatalogs)
        {
            await AddTreeAsync(cache, nested.Hash, reachable, cancellationToken);
        }
    }
}
