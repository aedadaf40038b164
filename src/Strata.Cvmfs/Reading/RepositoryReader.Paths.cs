using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Reading;

/// <summary>Path resolution, listings and file content for <see cref="RepositoryReader"/>.</summary>
public sealed partial class RepositoryReader
{
    /// <summary>
    /// Looks a path up (<c>/</c> or <c>/a/b</c>), mounting nested catalogs on the way. Null when the
    /// path does not exist. A nested catalog's mount point resolves to the nested catalog's root row.
    /// </summary>
    public async Task<RepositoryEntry?> LookupAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = Normalize(path);
        var (catalog, mountpoint) = await FindCatalogAsync(normalized, cancellationToken).ConfigureAwait(false);
        var row = catalog.Lookup(PathKey.ForPath(normalized));
        return row is null ? null : ToEntry(normalized, row, mountpoint);
    }

    /// <summary>
    /// Lists a directory. Entries come from the catalog that holds the directory, so a nested catalog's
    /// mount point inside it is listed as its parent-catalog row (no nested catalog is mounted just to
    /// list); <see cref="LookupAsync"/> it for the nested root row. Hidden entries are left out.
    /// </summary>
    public async Task<IReadOnlyList<RepositoryEntry>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var normalized = Normalize(path);
        var (catalog, mountpoint) = await FindCatalogAsync(normalized, cancellationToken).ConfigureAwait(false);
        var directory = catalog.Lookup(PathKey.ForPath(normalized)) ?? throw new CvmfsNotFoundException(path);
        if (directory.Kind != EntryKind.Directory)
        {
            throw new IOException($"Not a directory: {path}");
        }

        var prefix = normalized.Length == 0 ? "/" : normalized + "/";
        return catalog.List(PathKey.ForPath(normalized))
            .Where(row => !row.IsHidden)
            .Select(row => ToEntry(prefix + row.Name, row, mountpoint))
            .ToList();
    }

    /// <summary>The chunks of a file (a single pseudo-chunk for a whole-object file).</summary>
    public async Task<IReadOnlyList<ChunkRecord>> GetChunksAsync(RepositoryEntry file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Kind != EntryKind.File)
        {
            throw new IOException($"Not a regular file: {file.Path}");
        }

        if (!file.Row.IsChunked)
        {
            return file.ContentHash is { } hash ? [new ChunkRecord(0, file.Row.Size, hash)] : [];
        }

        var catalog = await GetMountedCatalogAsync(file.CatalogMountpoint, cancellationToken).ConfigureAwait(false);
        var chunks = catalog.ListChunks(file.Row.Key, file.Row.HashAlgorithm);
        long expected = 0;
        foreach (var chunk in chunks)
        {
            if (chunk.Offset != expected || chunk.Size <= 0)
            {
                throw new CvmfsFormatException($"The chunks of {file.Path} are not contiguous at offset {expected}.");
            }

            expected += chunk.Size;
        }

        if (expected != file.Row.Size)
        {
            throw new CvmfsFormatException($"The chunks of {file.Path} cover {expected} bytes, the file has {file.Row.Size}.");
        }

        return chunks;
    }

    /// <summary>
    /// Opens a regular file's content. Every object is fetched and verified before its bytes are
    /// returned; chunks are fetched as the stream reaches them. Chunked content streams are seekable.
    /// </summary>
    public async Task<Stream> OpenFileAsync(RepositoryEntry file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Row.Flags.HasFlag(EntryFlags.External))
        {
            throw new CvmfsVerificationException(VerificationFailure.Unsupported, $"{file.Path} is an external file (not in the object store).");
        }

        var chunks = await GetChunksAsync(file, cancellationToken).ConfigureAwait(false);
        if (!file.Row.IsChunked)
        {
            if (file.ContentHash is not { } hash)
            {
                throw new CvmfsFormatException($"{file.Path} has neither a content hash nor chunks.");
            }

            return await _fetcher.OpenAsync(new ObjectId(hash, ObjectKind.File), file.Row.Compression, file.Row.Size, file.Row.Size, cancellationToken).ConfigureAwait(false);
        }

        return new ChunkedContentStream(_fetcher, chunks, file.Row.Compression, file.Row.Size);
    }

    /// <summary>Opens a regular file's content by path.</summary>
    public async Task<Stream> OpenFileAsync(string path, CancellationToken cancellationToken)
    {
        var entry = await LookupAsync(path, cancellationToken).ConfigureAwait(false) ?? throw new CvmfsNotFoundException(path);
        return await OpenFileAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private RepositoryEntry ToEntry(string path, CatalogEntry row, string mountpoint) => new()
    {
        Path = path.Length == 0 ? "/" : path,
        Row = row,
        CatalogMountpoint = mountpoint,
        SymlinkTarget = row.Kind == EntryKind.Symlink ? VariantSymlink.Expand(row.Symlink, _options.SymlinkVariables) : null,
    };

    /// <summary>The catalog responsible for <paramref name="path"/>: descend through nested catalogs whose mount point covers it.</summary>
    private async Task<(Catalog Catalog, string Mountpoint)> FindCatalogAsync(string path, CancellationToken cancellationToken)
    {
        var catalog = RootCatalog;
        var mountpoint = string.Empty;
        for (var depth = 0; ; depth++)
        {
            var nested = catalog.NestedCatalogs.FirstOrDefault(n => IsWithin(path, n.Path));
            if (nested is null)
            {
                return (catalog, mountpoint);
            }

            if (depth >= _options.MaxCatalogDepth || !IsWithin(nested.Path, mountpoint) || nested.Path == mountpoint)
            {
                throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"Nested catalog '{nested.Path}' cannot be mounted below '{mountpoint}'.");
            }

            catalog = await MountAsync(nested, cancellationToken).ConfigureAwait(false);
            mountpoint = nested.Path;
        }
    }

    private async Task<Catalog> GetMountedCatalogAsync(string mountpoint, CancellationToken cancellationToken)
    {
        if (_catalogs.TryGetValue(mountpoint, out var catalog))
        {
            return catalog;
        }

        var (found, foundMountpoint) = await FindCatalogAsync(mountpoint, cancellationToken).ConfigureAwait(false);
        return foundMountpoint == mountpoint ? found : throw new CvmfsNotFoundException($"catalog at '{mountpoint}'");
    }

    private async Task<Catalog> MountAsync(NestedCatalogReference nested, CancellationToken cancellationToken)
    {
        await _mountGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_catalogs.TryGetValue(nested.Path, out var mounted))
            {
                return mounted;
            }

            var catalog = await FetchCatalogAsync(nested.Hash, nested.Size, cancellationToken).ConfigureAwait(false);
            if (catalog.RootPrefix != nested.Path)
            {
                catalog.Dispose();
                throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"Catalog {nested.Hash} has root prefix '{catalog.RootPrefix}', but is mounted at '{nested.Path}'.");
            }

            _catalogs[nested.Path] = catalog;
            return catalog;
        }
        finally
        {
            _mountGate.Release();
        }
    }

    private static bool IsWithin(string path, string mountpoint) =>
        mountpoint.Length == 0 || path == mountpoint || (path.Length > mountpoint.Length && path.StartsWith(mountpoint, StringComparison.Ordinal) && path[mountpoint.Length] == '/');

    /// <summary>Repository paths as catalogs key them: empty for the root, otherwise <c>/a/b</c> without a trailing slash.</summary>
    private static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        return trimmed[0] == '/' ? trimmed : "/" + trimmed;
    }
}
