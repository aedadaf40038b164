using Strata.Cvmfs;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.History;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Whitelist;
using Strata.Cvmfs.Writing;
using Strata.Oci.Digests;
using Strata.Publish.Storage;
using Strata.Publish.Trees;
using Strata.Storage.Drivers;

namespace Strata.Publish.Repository;

/// <summary>
/// Makes revisions of the repository: from the current signed revision (or none) and a set of
/// changes (layer and flat image catalogs to mount, tags to set or remove) it writes the changed
/// catalogs, the certificate, the whitelist when it needs renewing, and last the signed manifest.
/// </summary>
/// <remarks>
/// <para>
/// Only what changed is rewritten: the root catalog and the <c>/.metadata</c> and
/// <c>/.platforms</c> catalogs (rebuilt from the previous ones), and for new layers and flat
/// images the <c>/.layers</c> (<c>/.flat</c>) catalog and the touched 2-hex bucket catalogs. Every
/// other catalog is referenced by hash; statistics stay exact by carrying the previous subtree
/// counters over and adjusting them for the buckets replaced.
/// </para>
/// <para>
/// Crash safety: objects and catalogs first (durable, unreferenced until the manifest names them),
/// then the whitelist, then <c>.cvmfspublished</c> replaced atomically. A crash anywhere before the
/// last step leaves the previous revision served. One commit at a time per instance (a lock);
/// across processes the caller serializes (one publisher per repository), and a manifest changed
/// underneath is detected before the swap (<see cref="ConcurrentPublicationException"/>).
/// </para>
/// </remarks>
public sealed class RepositoryPublisher
{
    private const string ManifestFile = ".cvmfspublished";
    private const string WhitelistFile = ".cvmfswhitelist";
    private const string ReplicationMarkerFile = ".cvmfs_master_replica";
    private readonly IBlobDriver _driver;
    private readonly RepositoryPublisherOptions _options;
    private readonly RepositoryKeys _keys;
    private readonly TimeProvider _time;
    private readonly DriverRepositorySource _source;
    private readonly SemaphoreSlim _commitGate = new(1, 1);

    public RepositoryPublisher(IBlobDriver driver, RepositoryPublisherOptions options, RepositoryKeys keys, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.RepositoryName != options.RepositoryName)
        {
            throw new ArgumentException($"The keys are for {keys.RepositoryName}, not {options.RepositoryName}.", nameof(keys));
        }

        if (options.RegistryHost.Length == 0 || options.RegistryHost.Contains('/') || options.RegistryHost.StartsWith('.'))
        {
            throw new ArgumentException($"'{options.RegistryHost}' is not a registry host name.", nameof(options));
        }

        _driver = driver;
        _options = options;
        _keys = keys;
        _time = timeProvider ?? TimeProvider.System;
        _source = new DriverRepositorySource(driver, options.RepositoryName);
        Catalogs = new CatalogCache(_source, Path.Combine(options.WorkDirectory, "catalogs"));
    }

    /// <summary>Decompressed catalogs of this repository on local disk.</summary>
    public CatalogCache Catalogs { get; }

    public RepositoryPublisherOptions Options => _options;

    /// <summary>Catalog settings for catalogs written now for revision <paramref name="revision"/>.</summary>
    public CatalogWriteOptions CatalogOptions(long revision) => new()
    {
        Algorithm = _options.Algorithm,
        MaxEntriesPerCatalog = _options.MaxEntriesPerCatalog,
        Revision = revision,
        LastModified = _time.GetUtcNow().ToUnixTimeSeconds(),
        WorkDirectory = Path.Combine(_options.WorkDirectory, "build"),
    };

    /// <summary>A new object sink for this repository.</summary>
    public DriverObjectSink CreateSink() => new(_driver, _options.RepositoryName, _options.Sink with
    {
        SpoolDirectory = _options.Sink.SpoolDirectory ?? Path.Combine(_options.WorkDirectory, "spool"),
    });

    /// <summary>Reads the current revision (not verified: this process is its only writer).</summary>
    public async Task<RepositorySnapshot> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var bytes = await ReadRootFileAsync(ManifestFile, cancellationToken).ConfigureAwait(false);
        var manifest = bytes is null ? null : SignedManifest.Parse(bytes).Manifest;
        return new RepositorySnapshot(Catalogs, manifest, bytes);
    }

    /// <summary>Publishes the next revision with <paramref name="changes"/>.</summary>
    public async Task<CommittedRevision> CommitAsync(RevisionChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CommitLockedAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _commitGate.Release();
        }
    }

    /// <summary>
    /// Re-signs the whitelist if it expires within <see cref="RepositoryPublisherOptions.WhitelistRenewBefore"/>.
    /// Call it daily: a repository without publications would otherwise expire for every client.
    /// An imported whitelist (<see cref="ImportWhitelistAsync"/>) is never replaced by one signed
    /// here; when it is about to expire, or Strata has no master key, this throws
    /// <see cref="InvalidOperationException"/> saying what the operator must do.
    /// </summary>
    public async Task<bool> RenewWhitelistAsync(CancellationToken cancellationToken)
    {
        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var whitelist = await NewWhitelistIfNeededAsync(now, cancellationToken).ConfigureAwait(false);
            if (whitelist is not null)
            {
                using var stream = new MemoryStream(whitelist, writable: false);
                await _driver.PutAsync(CvmfsStoragePaths.Object(_options.RepositoryName, WhitelistFile), stream, cancellationToken).ConfigureAwait(false);
                return true;
            }

            var current = await ReadRootFileAsync(WhitelistFile, cancellationToken).ConfigureAwait(false);
            if (current is null || !IsUsable(current, now + _options.WhitelistRenewBefore))
            {
                throw new InvalidOperationException(await ImportedWhitelistAsync(cancellationToken).ConfigureAwait(false) is not null
                    ? $"{_options.RepositoryName}: the imported whitelist expires within {_options.WhitelistRenewBefore.TotalDays:0} days or has expired; sign a new one with the master key and import it (`strata keys import-whitelist`)."
                    : $"{_options.RepositoryName}: the whitelist needs renewing but the master key is not here; sign one with the master key and import it (`strata keys import-whitelist`).");
            }

            return false;
        }
        finally
        {
            _commitGate.Release();
        }
    }

    /// <summary>
    /// Installs a whitelist signed elsewhere with the master key (a site keeping its master key
    /// offline, as <c>cvmfs_server</c>'s external whitelist does). It must be signed by the master
    /// public key clients trust, name this repository, list this repository's certificate and be
    /// valid now; otherwise <see cref="WhitelistImportException"/> says why and nothing changes.
    /// It is kept beside the repository (<c>cvmfs-state/&lt;fqrn&gt;/imported-whitelist</c>) and
    /// from then on renewal never replaces it with one signed here.
    /// </summary>
    public async Task<RepositoryWhitelist> ImportWhitelistAsync(ReadOnlyMemory<byte> signedWhitelist, CancellationToken cancellationToken)
    {
        SignedWhitelist parsed;
        try
        {
            parsed = SignedWhitelist.Parse(signedWhitelist);
            parsed.Verify([_keys.MasterPublicKey], _options.RepositoryName, _time.GetUtcNow());
        }
        catch (Exception e) when (e is CvmfsVerificationException or CvmfsFormatException)
        {
            throw new WhitelistImportException($"the whitelist is not usable for {_options.RepositoryName}: {e.Message}", e);
        }

        if (!parsed.Whitelist.Lists(_keys.Certificate.Fingerprint()))
        {
            throw new WhitelistImportException($"the whitelist does not list this repository's certificate ({_keys.Certificate.Fingerprint().ToFingerprint()}); sign one that does");
        }

        await _commitGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The record first: a crash in between leaves the import to be installed by the next commit or renewal.
            using (var record = new MemoryStream(signedWhitelist.ToArray(), writable: false))
            {
                await _driver.PutAsync(ImportedWhitelistPath, record, cancellationToken).ConfigureAwait(false);
            }

            using var stream = new MemoryStream(signedWhitelist.ToArray(), writable: false);
            await _driver.PutAsync(CvmfsStoragePaths.Object(_options.RepositoryName, WhitelistFile), stream, cancellationToken).ConfigureAwait(false);
            return parsed.Whitelist;
        }
        finally
        {
            _commitGate.Release();
        }
    }

    private string ImportedWhitelistPath => "cvmfs-state/" + _options.RepositoryName + "/imported-whitelist";

    private async Task<byte[]?> ImportedWhitelistAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stream = await _driver.OpenReadAsync(ImportedWhitelistPath, 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        catch (StoredObjectNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Signed by the trusted master key, for this repository, listing our certificate, valid at <paramref name="at"/>.</summary>
    private bool IsUsable(byte[] whitelist, DateTimeOffset at)
    {
        try
        {
            var parsed = SignedWhitelist.Parse(whitelist);
            parsed.Verify([_keys.MasterPublicKey], _options.RepositoryName, at);
            return parsed.Whitelist.Lists(_keys.Certificate.Fingerprint());
        }
        catch (Exception e) when (e is CvmfsVerificationException or CvmfsFormatException)
        {
            return false;
        }
    }

    private async Task<CommittedRevision> CommitLockedAsync(RevisionChanges changes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var snapshot = await OpenSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var revision = snapshot.Revision + 1;
        var sink = CreateSink();
        var catalogOptions = CatalogOptions(revision) with { LastModified = timestamp };
        var writer = new TreeCatalogWriter(sink, catalogOptions, Catalogs);
        var loader = new CatalogTreeLoader(Catalogs);
        var inodeIds = new InodeIds();
        var catalogs = 0;

        FsNode root;
        if (snapshot.Manifest is { } current)
        {
            var loaded = await loader.LoadAsync(current.RootCatalogHash, current.RootCatalogSize, string.Empty, IsControlPath, inodeIds, cancellationToken).ConfigureAwait(false);
            root = loaded.Root;
        }
        else
        {
            root = FsNode.Directory(string.Empty, 0b111_101_101, 0, 0, timestamp);
        }

        root.Mtime = timestamp;
        catalogs += await MountAllAsync(root, RepositoryLayout.LayersDirectory, changes.Layers, changes.RemoveLayers, RepositoryLayout.LayerRoot, writer, loader, inodeIds, timestamp, cancellationToken).ConfigureAwait(false);
        catalogs += await MountAllAsync(root, RepositoryLayout.FlatDirectory, changes.FlatImages, changes.RemoveFlatImages, RepositoryLayout.FlatRoot, writer, loader, inodeIds, timestamp, cancellationToken).ConfigureAwait(false);

        var tags = new TagTree(root, _options.RegistryHost, timestamp);
        foreach (var removal in changes.RemoveTags)
        {
            tags.Remove(removal);
        }

        var content = new FileContentWriter(sink, new FileContentOptions { Algorithm = _options.Algorithm });
        foreach (var tag in changes.SetTags)
        {
            await tags.SetAsync(tag, content, cancellationToken).ConfigureAwait(false);
        }

        var previous = new Dictionary<string, ContentHash>();
        if (snapshot.Manifest is { } old)
        {
            previous[string.Empty] = old.RootCatalogHash;
        }

        var written = await writer.WriteAsync(new CatalogWriteRequest { Root = root, Path = string.Empty, TtlSeconds = _options.TtlSeconds, PreviousRevisions = previous }, cancellationToken).ConfigureAwait(false);
        catalogs += written.CatalogCount;

        var history = await WriteHistoryAsync(sink, catalogOptions.WorkDirectory, written, revision, timestamp, snapshot.Manifest, cancellationToken).ConfigureAwait(false);
        var certificate = await ObjectWriter.WriteAsync(sink, new MemoryStream(_keys.Certificate.Pem.ToArray(), writable: false), ObjectKind.Certificate, ObjectCompression.Zlib, _options.Algorithm, cancellationToken).ConfigureAwait(false);
        var manifest = new RepositoryManifest
        {
            RootCatalogHash = written.Hash,
            RootCatalogSize = written.Size,
            TtlSeconds = _options.TtlSeconds,
            Revision = revision,
            GarbageCollectable = _options.GarbageCollectable,
            RepositoryName = _options.RepositoryName,
            CertificateHash = certificate.Id.Hash,
            HistoryHash = history,
            PublishTimestamp = timestamp,
        };
        var signed = SignedManifest.Create(manifest, _keys.RepositoryKey);
        var whitelist = await NewWhitelistIfNeededAsync(now, cancellationToken).ConfigureAwait(false);
        await sink.FlushAsync(cancellationToken).ConfigureAwait(false);

        var latest = await ReadRootFileAsync(ManifestFile, cancellationToken).ConfigureAwait(false);
        if (!(latest ?? []).AsSpan().SequenceEqual(snapshot.ManifestBytes ?? []))
        {
            throw new ConcurrentPublicationException($"{_options.RepositoryName}: the manifest changed while revision {revision} was being built; another publisher is running.");
        }

        if (whitelist is not null)
        {
            await sink.WriteRootFileAsync(WhitelistFile, whitelist, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot.Manifest is null)
        {
            // cvmfs_server's opt-in marker: Stratum 1s replicate only a Stratum 0 that has it.
            await sink.WriteRootFileAsync(ReplicationMarkerFile, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }

        await sink.WriteRootFileAsync(ManifestFile, signed, cancellationToken).ConfigureAwait(false);
        return new CommittedRevision(revision, written.Hash, timestamp, catalogs, whitelist is not null);
    }

    /// <summary>
    /// The tag database cvmfs_server keeps: <c>trunk</c> (this revision) and <c>trunk-previous</c>
    /// (the one before, the default undo target), so clients can mount the previous revision with
    /// <c>CVMFS_REPOSITORY_TAG</c> and Stratum 1s mirror it.
    /// </summary>
    private async Task<ContentHash> WriteHistoryAsync(IObjectSink sink, string workDirectory, WrittenCatalog root, long revision, long timestamp, RepositoryManifest? previous, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var file = Path.Combine(workDirectory, "history-" + Guid.NewGuid().ToString("N") + ".sqlite");
        try
        {
            using (var history = HistoryWriter.Create(file, _options.RepositoryName))
            {
                history.AddTag(new HistoryTag("trunk", root.Hash, revision, timestamp, 0, "current HEAD", root.Size, string.Empty));
                if (previous is not null)
                {
                    history.AddTag(new HistoryTag("trunk-previous", previous.RootCatalogHash, previous.Revision, previous.PublishTimestamp, 0, "default undo target", previous.RootCatalogSize, string.Empty));
                }

                history.Complete(previous?.HistoryHash);
            }

            var (id, _) = await ObjectWriter.WriteFileAsync(sink, file, ObjectKind.History, _options.Algorithm, cancellationToken).ConfigureAwait(false);
            return id.Hash;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static bool IsControlPath(string path) =>
        IsWithin(path, RepositoryLayout.MetadataDirectory) || IsWithin(path, RepositoryLayout.PlatformsDirectory);

    private static bool IsWithin(string path, string directory) =>
        path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>
    /// Mounts new catalogs below <paramref name="top"/> (<c>/.layers</c> or <c>/.flat</c>) and takes
    /// out <paramref name="removals"/> (garbage collection), rewriting the top catalog and the touched
    /// bucket catalogs; an unchanged top stays as it is.
    /// </summary>
    private async Task<int> MountAllAsync(FsNode root, string top, IReadOnlyList<PublishedCatalog> additions, IReadOnlyList<Digest> removals, Func<Digest, string> leafPath, TreeCatalogWriter writer, CatalogTreeLoader loader, InodeIds inodeIds, long now, CancellationToken cancellationToken)
    {
        var topName = top[1..];
        root.Children.TryGetValue(topName, out var topNode);
        var oldTop = topNode?.Mount;
        if (oldTop is not null && additions.Count == 0 && removals.Count == 0)
        {
            // Unchanged: the root needs its totals, which only the catalog itself has.
            using var catalog = await Catalogs.OpenAsync(oldTop.Hash, oldTop.Size, cancellationToken).ConfigureAwait(false);
            topNode!.Mount = oldTop with { Totals = catalog.Statistics.Total };
            return 0;
        }

        LoadedCatalog? loadedTop = oldTop is null ? null : await loader.LoadAsync(oldTop.Hash, oldTop.Size, top, _ => false, inodeIds, cancellationToken).ConfigureAwait(false);
        var tree = loadedTop?.Root ?? FsNode.Directory(topName, 0b111_101_101, 0, 0, now);
        tree.Mount = null;
        var topBase = loadedTop?.Statistics.Subtree ?? CatalogCounters.Zero;
        var written = 0;
        var removalsByBucket = removals.GroupBy(RepositoryLayout.Bucket).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var additionsByBucket = additions.GroupBy(a => RepositoryLayout.Bucket(a.Digest)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var bucketName in additionsByBucket.Keys.Union(removalsByBucket.Keys).Order(StringComparer.Ordinal))
        {
            var bucketAdditions = additionsByBucket.GetValueOrDefault(bucketName) ?? [];
            var bucketPath = top + "/" + bucketName;
            tree.Children.TryGetValue(bucketName, out var bucketNode);
            var oldBucket = bucketNode?.Mount;
            if (oldBucket is null && bucketAdditions.Count == 0)
            {
                continue;
            }

            LoadedCatalog? loadedBucket = oldBucket is null ? null : await loader.LoadAsync(oldBucket.Hash, oldBucket.Size, bucketPath, _ => false, inodeIds, cancellationToken).ConfigureAwait(false);
            var bucket = loadedBucket?.Root ?? FsNode.Directory(bucketName, 0b111_101_101, 0, 0, now);
            bucket.Mount = null;
            var bucketBase = loadedBucket?.Statistics.Subtree ?? CatalogCounters.Zero;
            var added = 0;
            foreach (var removal in removalsByBucket.GetValueOrDefault(bucketName) ?? [])
            {
                // The whole <hex> directory goes; the nested catalogs in it leave the carried-over counters.
                var name = leafPath(removal)[(bucketPath.Length + 1)..].Split('/')[0];
                if (bucket.Children.Remove(name, out var removed))
                {
                    bucketBase = await SubtractMountsAsync(bucketBase, removed, cancellationToken).ConfigureAwait(false);
                    added++;
                }
            }

            foreach (var addition in bucketAdditions)
            {
                var relative = leafPath(addition.Digest)[(bucketPath.Length + 1)..].Split('/');
                var directory = bucket;
                foreach (var part in relative[..^1])
                {
                    if (!directory.Children.TryGetValue(part, out var next))
                    {
                        next = FsNode.Directory(part, 0b111_101_101, 0, 0, now);
                        directory.Children[part] = next;
                    }

                    directory = next;
                }

                // Already published (by an earlier commit, or twice in this one): keep the first.
                if (directory.Children.ContainsKey(relative[^1]))
                {
                    continue;
                }

                directory.Children[relative[^1]] = MountNode(relative[^1], addition.Catalog);
                added++;
            }

            if (added == 0)
            {
                continue;
            }

            var writtenBucket = await writer.WriteAsync(
                new CatalogWriteRequest
                {
                    Root = bucket,
                    Path = bucketPath,
                    BaseSubtree = bucketBase,
                    PreviousRevisions = oldBucket is null ? new Dictionary<string, ContentHash>() : new Dictionary<string, ContentHash> { [bucketPath] = oldBucket.Hash },
                },
                cancellationToken).ConfigureAwait(false);
            written += writtenBucket.CatalogCount;
            if (loadedBucket is not null)
            {
                topBase = CountersMath.Subtract(topBase, loadedBucket.Statistics.Total);
            }

            tree.Children[bucketName] = MountNode(bucketName, writtenBucket);
        }

        var writtenTop = await writer.WriteAsync(
            new CatalogWriteRequest
            {
                Root = tree,
                Path = top,
                BaseSubtree = topBase,
                PreviousRevisions = oldTop is null ? new Dictionary<string, ContentHash>() : new Dictionary<string, ContentHash> { [top] = oldTop.Hash },
            },
            cancellationToken).ConfigureAwait(false);
        root.Children[topName] = MountNode(topName, writtenTop);
        return written + writtenTop.CatalogCount;
    }

    /// <summary>Takes the totals of every nested catalog mounted in <paramref name="node"/>'s subtree out of <paramref name="counters"/>.</summary>
    private async Task<CatalogCounters> SubtractMountsAsync(CatalogCounters counters, FsNode node, CancellationToken cancellationToken)
    {
        if (node.Mount is { } mount)
        {
            if (mount.Totals is not null)
            {
                // Added in this commit, so never part of the carried-over counters.
                return counters;
            }

            using var catalog = await Catalogs.OpenAsync(mount.Hash, mount.Size, cancellationToken).ConfigureAwait(false);
            return CountersMath.Subtract(counters, catalog.Statistics.Total);
        }

        if (!node.HasChildren)
        {
            return counters;
        }

        foreach (var child in node.Children.Values)
        {
            counters = await SubtractMountsAsync(counters, child, cancellationToken).ConfigureAwait(false);
        }

        return counters;
    }

    private static FsNode MountNode(string name, WrittenCatalog catalog)
    {
        var node = catalog.RootAttributes.CloneAttributes(name);
        node.Mount = catalog.ToMount();
        return node;
    }

    /// <summary>
    /// The whitelist to install now, or null to keep the current one: the current one while it is
    /// valid for the renewal margin; else an imported one (reinstalled if it differs, never
    /// replaced); else a new one signed with the master key, when Strata has it.
    /// </summary>
    private async Task<byte[]?> NewWhitelistIfNeededAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await ReadRootFileAsync(WhitelistFile, cancellationToken).ConfigureAwait(false);
        if (existing is not null && IsUsable(existing, now + _options.WhitelistRenewBefore))
        {
            return null;
        }

        if (await ImportedWhitelistAsync(cancellationToken).ConfigureAwait(false) is { } imported)
        {
            var differs = existing is null || !existing.AsSpan().SequenceEqual(imported);
            return differs && IsUsable(imported, now) ? imported : null;
        }

        if (_keys.MasterKey is null)
        {
            return null;
        }

        var whitelist = new RepositoryWhitelist
        {
            IssuedAt = now,
            ExpiresAt = now + _options.WhitelistValidity,
            RepositoryName = _options.RepositoryName,
            Fingerprints = [_keys.Certificate.Fingerprint()],
        };
        return SignedWhitelist.Create(whitelist, _keys.MasterKey);
    }

    private async Task<byte[]?> ReadRootFileAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await _driver.OpenReadAsync(CvmfsStoragePaths.Object(_options.RepositoryName, name), 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        catch (StoredObjectNotFoundException)
        {
            return null;
        }
    }
}
