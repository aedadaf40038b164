using System.Security.Cryptography;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Reading;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Storage;
using Strata.Publish.Tests.Verification;
using Strata.Publish.Trees;

namespace Strata.Publish.Tests.Support;

/// <summary>A registry plus an image publisher on it, and the verifying reader to check the result.</summary>
internal sealed class Publication : IAsyncDisposable
{
    public const string Fqrn = "unpacked.strata.test";
    public const string Host = "registry.strata.test";

    private Publication(TestRegistry registry, RepositoryKeys keys, ImagePublisher publisher)
    {
        Registry = registry;
        Keys = keys;
        Publisher = publisher;
    }

    public TestRegistry Registry { get; }

    public RepositoryKeys Keys { get; }

    public ImagePublisher Publisher { get; }

    public static async Task<Publication> CreateAsync(Func<ImagePublisherOptions, ImagePublisherOptions>? configure = null)
    {
        var registry = await TestRegistry.CreateAsync();
        var keys = RepositoryKeys.LoadOrCreate(Path.Combine(registry.Directory, "keys"), Fqrn);
        var options = new ImagePublisherOptions { RepositoryName = Fqrn, RegistryHost = Host, WorkDirectory = Path.Combine(registry.Directory, "work") };
        options = configure?.Invoke(options) ?? options;
        return new Publication(registry, keys, new ImagePublisher(registry.Driver, registry.Store, options, keys));
    }

    public string RepositoryDirectory => Path.Combine(Registry.Driver.RootDirectory, CvmfsStoragePaths.Root, Fqrn);

    public byte[] ManifestBytes() => File.ReadAllBytes(Path.Combine(RepositoryDirectory, ".cvmfspublished"));

    /// <summary>What the independent verifier found at the last <see cref="OpenReaderAsync"/>.</summary>
    public VerifiedRepository? LastVerified { get; private set; }

    /// <summary>Checks the repository with the verifier that shares no code with Strata.Cvmfs: signatures, every catalog, every object.</summary>
    public async Task<VerifiedRepository> VerifyIndependentlyAsync()
    {
        var masterPublicKey = await File.ReadAllTextAsync(Path.Combine(Registry.Directory, "keys", Fqrn + ".pub"));
        LastVerified = await IndependentVerifier.VerifyAsync(new DirectoryRepositoryFiles(RepositoryDirectory), Fqrn, masterPublicKey);
        return LastVerified;
    }

    /// <summary>
    /// Asserts that the independent verifier saw <paramref name="observed"/> (a tree read through
    /// Strata's reader below <paramref name="root"/>) the same way: types, modes, owners, sizes,
    /// symlink targets and content hashes.
    /// </summary>
    public void AssertIndependentlySeen(string root, SortedDictionary<string, ObservedEntry> observed)
    {
        var verified = LastVerified ?? throw new InvalidOperationException("call OpenReaderAsync or VerifyIndependentlyAsync first");
        var below = verified.Entries.Keys.Where(k => k.StartsWith(root + "/", StringComparison.Ordinal)).Select(k => k[root.Length..]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(observed.Keys, below);
        foreach (var (path, entry) in observed)
        {
            var independent = verified.Entries[root + path];
            Assert.Equal(entry.Type is "dir" or "file" or "symlink" ? entry.Type : "special", independent.Type);
            Assert.Equal((int)entry.Permissions, independent.Permissions);
            Assert.Equal((entry.Uid, entry.Gid), (independent.Uid, independent.Gid));
            Assert.Equal(entry.Target, independent.Symlink);
            Assert.Equal(entry.Sha256, independent.Sha256);
            if (entry.Type is "file" or "symlink")
            {
                Assert.Equal(entry.Size, independent.Size);
            }
        }
    }

    /// <summary>
    /// Opens the repository as a client would: signature chain from the master public key, every
    /// object verified. The independent verifier checks the whole repository first.
    /// </summary>
    public async Task<RepositoryReader> OpenReaderAsync(Func<string, string?>? variables = null, string? tag = null)
    {
        await VerifyIndependentlyAsync();
        var master = RSA.Create();
        master.ImportFromPem(File.ReadAllText(Path.Combine(Registry.Directory, "keys", Fqrn + ".pub")));
        return await RepositoryReader.OpenAsync(
            new FileSystemRepositorySource(RepositoryDirectory),
            new RepositoryReaderOptions { RepositoryName = Fqrn, MasterKeys = [master], SymlinkVariables = variables ?? (_ => null), Tag = tag },
            CancellationToken.None);
    }

    /// <summary>Every entry below <paramref name="root"/> (not included), with content hashed.</summary>
    public static async Task<SortedDictionary<string, ObservedEntry>> ObserveAsync(RepositoryReader reader, string root)
    {
        var result = new SortedDictionary<string, ObservedEntry>(StringComparer.Ordinal);
        await WalkAsync(reader, root, root, result);
        return result;
    }

    /// <summary>Follows symlinks inside the repository, in every path component (variant symlinks expanded by the reader).</summary>
    public static async Task<RepositoryEntry?> ResolveAsync(RepositoryReader reader, string path)
    {
        for (var hops = 0; hops < 32; hops++)
        {
            var parts = Normalize(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
            var current = string.Empty;
            var restarted = false;
            for (var i = 0; i < parts.Length; i++)
            {
                var candidate = current + "/" + parts[i];
                var entry = await reader.LookupAsync(candidate, CancellationToken.None);
                if (entry is null)
                {
                    return null;
                }

                if (entry.SymlinkTarget is { } target)
                {
                    var resolved = target.StartsWith('/') ? target : (current.Length == 0 ? "/" : current) + "/" + target;
                    path = resolved + (i + 1 < parts.Length ? "/" + string.Join('/', parts[(i + 1)..]) : string.Empty);
                    restarted = true;
                    break;
                }

                current = candidate;
            }

            if (!restarted)
            {
                return await reader.LookupAsync(current.Length == 0 ? "/" : current, CancellationToken.None);
            }
        }

        throw new InvalidOperationException("symlink loop");
    }

    /// <summary>Checks every catalog's statistics against its rows and its children (exact counters).</summary>
    public async Task AssertStatisticsExactAsync(RepositoryReader reader)
    {
        var cache = new CatalogCache(new FileSystemRepositorySource(RepositoryDirectory), Path.Combine(Registry.Directory, "verify-catalogs"));
        await CheckAsync(cache, reader.Manifest.Manifest.RootCatalogHash, 0);
    }

    public ValueTask DisposeAsync()
    {
        Keys.Dispose();
        return Registry.DisposeAsync();
    }

    private static async Task<CatalogCounters> CheckAsync(CatalogCache cache, Cvmfs.Objects.ContentHash hash, long size)
    {
        List<NestedCatalogReference> nested;
        CatalogStatistics statistics;
        var self = CatalogCounters.Zero;
        using (var catalog = await cache.OpenAsync(hash, size, CancellationToken.None))
        {
            foreach (var row in catalog.ListAll())
            {
                self += CatalogCounters.ForEntry(row);
                if (row.IsChunked)
                {
                    self += new CatalogCounters { Chunks = catalog.ListChunks(row.Key, row.HashAlgorithm).Count };
                }
            }

            nested = [.. catalog.NestedCatalogs];
            statistics = catalog.Statistics;
        }

        self += new CatalogCounters { Nested = nested.Count };
        var subtree = CatalogCounters.Zero;
        foreach (var child in nested)
        {
            subtree += await CheckAsync(cache, child.Hash, child.Size);
        }

        Assert.Equal(self, statistics.Self);
        Assert.Equal(subtree, statistics.Subtree);
        return self + subtree;
    }

    private static async Task WalkAsync(RepositoryReader reader, string root, string directory, SortedDictionary<string, ObservedEntry> result)
    {
        foreach (var entry in await reader.ListAsync(directory, CancellationToken.None))
        {
            var relative = entry.Path[root.Length..];
            string? sha = null;
            if (entry.Kind == EntryKind.File)
            {
                await using var content = await reader.OpenFileAsync(entry, CancellationToken.None);
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content));
            }

            var xattrs = entry.Xattrs is null ? string.Empty : string.Join(";", entry.Xattrs.Attributes.Select(a => a.Key + "=" + Convert.ToHexStringLower(a.Value)));
            var type = entry.Kind switch
            {
                EntryKind.Directory => "dir",
                EntryKind.File => "file",
                EntryKind.Symlink => "symlink",
                _ => (entry.Mode & UnixMode.TypeMask) switch
                {
                    UnixMode.CharacterDevice => "char",
                    UnixMode.BlockDevice => "block",
                    UnixMode.Fifo => "fifo",
                    _ => "special",
                },
            };
            var rdev = entry.Kind == EntryKind.Special ? entry.Row.Size : 0;
            var size = entry.Kind is EntryKind.File or EntryKind.Symlink ? entry.Size : 0;
            result[relative] = new ObservedEntry(relative, type, entry.Permissions, entry.Uid, entry.Gid, size, entry.Row.Kind == EntryKind.Symlink ? entry.Row.Symlink : null, sha, entry.LinkCount, xattrs, rdev);
            if (entry.Kind == EntryKind.Directory)
            {
                await WalkAsync(reader, root, entry.Path, result);
            }
        }
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
