using System.Collections.Concurrent;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.History;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Whitelist;

namespace Strata.Cvmfs.Reading;

/// <summary>
/// Reads a CernVM-FS repository the way the cvmfs client does: verify the manifest ensemble
/// (manifest, certificate, whitelist), load the root catalog (or a tagged revision's), then resolve
/// paths through nested catalogs mounted on demand, and read file content with every object verified
/// before its bytes are returned.
/// </summary>
public sealed partial class RepositoryReader : IAsyncDisposable
{
    private readonly ObjectFetcher _fetcher;
    private readonly RepositoryReaderOptions _options;
    private readonly string _workDirectory;
    private readonly bool _ownsWorkDirectory;
    // Read without a lock on every lookup; the gate only serializes mounting (one fetch per catalog).
    private readonly ConcurrentDictionary<string, Catalog> _catalogs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _mountGate = new(1, 1);

    private RepositoryReader(ObjectFetcher fetcher, RepositoryReaderOptions options, string workDirectory, bool ownsWorkDirectory, SignedManifest manifest, RepositoryWhitelist whitelist)
    {
        _fetcher = fetcher;
        _options = options;
        _workDirectory = workDirectory;
        _ownsWorkDirectory = ownsWorkDirectory;
        Manifest = manifest;
        Whitelist = whitelist;
    }

    /// <summary>The verified manifest.</summary>
    public SignedManifest Manifest { get; }

    /// <summary>The verified whitelist.</summary>
    public RepositoryWhitelist Whitelist { get; }

    /// <summary>The history tag that selected the revision, when one was asked for.</summary>
    public HistoryTag? Tag { get; private set; }

    /// <summary>Hash of the root catalog being read.</summary>
    public ContentHash RootCatalogHash { get; private set; }

    /// <summary>The root catalog being read.</summary>
    public Catalog RootCatalog => _catalogs[string.Empty];

    /// <summary>Revision of the root catalog being read.</summary>
    public long Revision => RootCatalog.Revision;

    /// <summary>Opens and verifies a repository; throws <see cref="CvmfsVerificationException"/> when it cannot be trusted.</summary>
    public static async Task<RepositoryReader> OpenAsync(IRepositorySource source, RepositoryReaderOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var ownsWorkDirectory = options.WorkDirectory is null;
        var workDirectory = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "strata-cvmfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDirectory);
        var fetcher = new ObjectFetcher(source, new ObjectFetcherOptions { MemorySpoolThreshold = options.MemorySpoolThreshold, TemporaryDirectory = workDirectory });

        RepositoryReader? reader = null;
        try
        {
            var (manifest, whitelist) = await VerifyEnsembleAsync(fetcher, options, cancellationToken).ConfigureAwait(false);
            reader = new RepositoryReader(fetcher, options, workDirectory, ownsWorkDirectory, manifest, whitelist);
            await reader.LoadRootAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
            else if (ownsWorkDirectory)
            {
                TryDeleteDirectory(workDirectory);
            }

            throw;
        }
    }

    /// <summary>The tags of the repository's history database (empty when it has none).</summary>
    public async Task<IReadOnlyList<HistoryTag>> ListTagsAsync(CancellationToken cancellationToken)
    {
        using var history = await OpenHistoryAsync(cancellationToken).ConfigureAwait(false);
        return history?.Tags ?? [];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _mountGate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var catalog in _catalogs.Values)
            {
                catalog.Dispose();
            }

            _catalogs.Clear();
        }
        finally
        {
            _mountGate.Release();
        }

        if (_ownsWorkDirectory)
        {
            TryDeleteDirectory(_workDirectory);
        }
    }

    private static async Task<(SignedManifest Manifest, RepositoryWhitelist Whitelist)> VerifyEnsembleAsync(ObjectFetcher fetcher, RepositoryReaderOptions options, CancellationToken cancellationToken)
    {
        // Same order as the cvmfs client: manifest, certificate, whitelist; then the chain is checked.
        var manifestBytes = await fetcher.ReadRootFileAsync(".cvmfspublished", options.MaxSignedFileSize, cancellationToken).ConfigureAwait(false);
        var manifest = SignedManifest.Parse(manifestBytes);
        if (manifest.Manifest.CertificateHash is not { IsEmpty: false } certificateHash)
        {
            throw new CvmfsVerificationException(VerificationFailure.SignatureMissing, "The manifest names no certificate (X).");
        }

        var certificateBytes = await fetcher.ReadAllAsync(new ObjectId(certificateHash, ObjectKind.Certificate), ObjectCompression.Zlib, options.MaxCertificateSize, cancellationToken).ConfigureAwait(false);
        using var certificate = RepositoryCertificate.Parse(certificateBytes);
        var whitelistBytes = await fetcher.ReadRootFileAsync(".cvmfswhitelist", options.MaxSignedFileSize, cancellationToken).ConfigureAwait(false);
        var whitelist = SignedWhitelist.Parse(whitelistBytes);

        SignatureChain.Verify(manifest, certificate, whitelist, options.MasterKeys, options.RepositoryName, options.TimeProvider.GetUtcNow());
        return (manifest, whitelist.Whitelist);
    }

    private async Task LoadRootAsync(CancellationToken cancellationToken)
    {
        var hash = Manifest.Manifest.RootCatalogHash;
        var size = Manifest.Manifest.RootCatalogSize;
        if (_options.Tag is { } tagName)
        {
            using var history = await OpenHistoryAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new CvmfsNotFoundException("history database (the manifest has no H field)");
            Tag = history.FindTag(tagName) ?? throw new CvmfsNotFoundException($"tag '{tagName}'");
            hash = Tag.RootCatalogHash;
            size = Tag.RootCatalogSize;
        }

        RootCatalogHash = hash;
        var root = await FetchCatalogAsync(hash, size, cancellationToken).ConfigureAwait(false);
        if (root.RootPrefix.Length > 0 && root.RootPrefix != "/")
        {
            root.Dispose();
            throw new CvmfsVerificationException(VerificationFailure.CatalogMismatch, $"The root catalog is a nested catalog of '{root.RootPrefix}'.");
        }

        _catalogs[string.Empty] = root;
    }

    private async Task<HistoryDatabase?> OpenHistoryAsync(CancellationToken cancellationToken)
    {
        if (Manifest.Manifest.HistoryHash is not { IsEmpty: false } historyHash)
        {
            return null;
        }

        var file = Path.Combine(_workDirectory, historyHash + "H.sqlite");
        if (!File.Exists(file))
        {
            await _fetcher.FetchToFileAsync(new ObjectId(historyHash, ObjectKind.History), file, _options.MaxDatabaseSize, cancellationToken).ConfigureAwait(false);
        }

        var history = HistoryDatabase.Open(file);
        if (history.RepositoryName.Length > 0 && history.RepositoryName != _options.RepositoryName)
        {
            history.Dispose();
            throw new CvmfsVerificationException(VerificationFailure.RepositoryNameMismatch, $"The history database is for '{history.RepositoryName}'.");
        }

        return history;
    }

    private async Task<Catalog> FetchCatalogAsync(ContentHash hash, long declaredSize, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_workDirectory, hash + "C.sqlite");
        if (!File.Exists(file))
        {
            var limit = declaredSize > 0 ? Math.Min(declaredSize, _options.MaxDatabaseSize) : _options.MaxDatabaseSize;
            await _fetcher.FetchToFileAsync(new ObjectId(hash, ObjectKind.Catalog), file, limit, cancellationToken).ConfigureAwait(false);
        }

        return Catalog.Open(file);
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
