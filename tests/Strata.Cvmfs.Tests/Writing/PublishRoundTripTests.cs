using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.History;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Reading;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Tests.Support;
using Strata.Cvmfs.Whitelist;
using Strata.Cvmfs.Writing;

namespace Strata.Cvmfs.Tests.Writing;

/// <summary>
/// Publishes a new repository with the writer types only (objects, nested catalog, chunked file,
/// certificate, whitelist, history, manifest last) and reads it back with the verifying reader.
/// </summary>
public sealed class PublishRoundTripTests : IDisposable
{
    private const string Name = "roundtrip.strata.test";
    private const long Now = 1_900_000_000;
    private readonly TemporaryDirectory _repo = new();
    private readonly TemporaryDirectory _scratch = new();
    private readonly byte[] _big = RandomNumberGenerator.GetBytes(700_000);

    [Fact]
    public async Task Published_repository_opens_and_reads_back_through_the_verifying_reader()
    {
        using var masterKey = RSA.Create(2048);
        await PublishAsync(masterKey);

        await using var reader = await OpenAsync(masterKey, tag: null);

        Assert.Equal(1, reader.Revision);
        Assert.Equal(["big.bin", "empty", "hello.txt", "link", "sub"], (await reader.ListAsync("/", CancellationToken.None)).Select(e => e.Name).Order(StringComparer.Ordinal));
        var hello = (await reader.LookupAsync("/hello.txt", CancellationToken.None))!;
        Assert.Equal("0644", Convert.ToString(hello.Permissions, 8).PadLeft(4, '0'));
        Assert.Equal("hello, cvmfs\n", await ReadTextAsync(reader, "/hello.txt"));
        Assert.Equal(string.Empty, await ReadTextAsync(reader, "/empty"));
        Assert.Equal("v"u8.ToArray(), hello.Xattrs!.Get("user.k"));
        Assert.Equal("hello.txt", (await reader.LookupAsync("/link", CancellationToken.None))!.SymlinkTarget);
        Assert.Equal("inner\n", await ReadTextAsync(reader, "/sub/inner.txt"));
        Assert.Equal(3u, (await reader.LookupAsync("/", CancellationToken.None))!.LinkCount);
        var sub = (await reader.LookupAsync("/sub", CancellationToken.None))!;
        Assert.True(sub.Row.IsNestedRoot);
        Assert.Equal("/sub", sub.CatalogMountpoint);

        var big = (await reader.LookupAsync("/big.bin", CancellationToken.None))!;
        Assert.True(big.Row.IsChunked);
        Assert.True((await reader.GetChunksAsync(big, CancellationToken.None)).Count > 1);
        await using var content = await reader.OpenFileAsync(big, CancellationToken.None);
        Assert.Equal(SHA256.HashData(_big), await SHA256.HashDataAsync(content));

        Assert.Equal(new CatalogCounters { Directories = 1, Regular = 2, FileSize = 6 }, reader.RootCatalog.Statistics.Subtree);
    }

    [Fact]
    public async Task Published_history_tag_selects_the_revision()
    {
        using var masterKey = RSA.Create(2048);
        await PublishAsync(masterKey);

        await using var reader = await OpenAsync(masterKey, tag: "v1");

        Assert.Equal("v1", reader.Tag!.Name);
        Assert.Equal(1, reader.Revision);
    }

    [Fact]
    public async Task Published_repository_is_refused_with_another_master_key()
    {
        using var masterKey = RSA.Create(2048);
        using var otherKey = RSA.Create(2048);
        await PublishAsync(masterKey);

        var error = await Assert.ThrowsAsync<CvmfsVerificationException>(() => OpenAsync(otherKey, tag: null));

        Assert.Equal(VerificationFailure.WhitelistSignatureInvalid, error.Failure);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _scratch.Dispose();
    }

    private static async Task<string> ReadTextAsync(RepositoryReader reader, string path)
    {
        await using var content = await reader.OpenFileAsync(path, CancellationToken.None);
        using var text = new StreamReader(content, Encoding.UTF8);
        return await text.ReadToEndAsync();
    }

    private Task<RepositoryReader> OpenAsync(RSA masterKey, string? tag) =>
        RepositoryReader.OpenAsync(
            new FileSystemRepositorySource(_repo.Path),
            new RepositoryReaderOptions { RepositoryName = Name, MasterKeys = [masterKey], Tag = tag, TimeProvider = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now + 60)) },
            CancellationToken.None);

    private async Task PublishAsync(RSA masterKey)
    {
        var ct = CancellationToken.None;
        var sink = new FileSystemObjectSink(_repo.Path);
        var files = new FileContentWriter(sink, new FileContentOptions { Chunking = new ChunkingParameters(64 * 1024, 128 * 1024, 256 * 1024) });

        // Nested catalog /sub first: its statistics roll up into the root catalog.
        var subPath = Path.Combine(_scratch.Path, "sub.sqlite");
        CatalogStatistics subStatistics;
        using (var sub = CatalogWriter.Create(subPath, "/sub"))
        {
            sub.Add(Directory("/sub", PathKey.Root, EntryFlags.Directory | EntryFlags.NestedRoot));
            sub.Add(File("/sub/.cvmfscatalog", await files.WriteAsync(new MemoryStream(), ct)));
            sub.Add(File("/sub/inner.txt", await files.WriteAsync(new MemoryStream("inner\n"u8.ToArray()), ct)));
            subStatistics = sub.Complete(new CatalogProperties { Revision = 1, LastModified = Now, PreviousRevision = CatalogProperties.NoPreviousRevision });
        }

        var (subId, _) = await ObjectWriter.WriteFileAsync(sink, subPath, ObjectKind.Catalog, ContentHashAlgorithm.Sha1, ct);

        var rootPath = Path.Combine(_scratch.Path, "root.sqlite");
        using (var root = CatalogWriter.Create(rootPath))
        {
            root.Add(Directory(string.Empty, PathKey.None, EntryFlags.Directory) with { Hardlinks = 3 });
            root.Add(File("/hello.txt", await files.WriteAsync(new MemoryStream("hello, cvmfs\n"u8.ToArray()), ct)) with
            {
                Xattrs = ExtendedAttributes.Create([new("user.k", "v"u8.ToArray())]),
            });
            root.Add(File("/empty", await files.WriteAsync(new MemoryStream(), ct)));
            var big = await files.WriteAsync(new MemoryStream(_big), ct);
            root.Add(File("/big.bin", big));
            root.AddChunks(PathKey.ForPath("/big.bin"), big.Chunks);
            root.Add(new CatalogEntry
            {
                Key = PathKey.ForPath("/link"),
                ParentKey = PathKey.Root,
                Flags = EntryFlags.File | EntryFlags.Link,
                Name = "link",
                Symlink = "hello.txt",
                Size = 9,
                Mode = 0xA1FF,
                Mtime = Now,
            });
            root.Add(Directory("/sub", PathKey.Root, EntryFlags.Directory | EntryFlags.NestedMountpoint));
            root.AddNestedCatalog(new NestedCatalogReference("/sub", subId.Hash, new FileInfo(subPath).Length), subStatistics);
            root.Complete(new CatalogProperties { Revision = 1, LastModified = Now, TtlSeconds = 240, PreviousRevision = CatalogProperties.NoPreviousRevision });
        }

        var (rootId, rootObject) = await ObjectWriter.WriteFileAsync(sink, rootPath, ObjectKind.Catalog, ContentHashAlgorithm.Sha1, ct);

        var historyPath = Path.Combine(_scratch.Path, "history.sqlite");
        using (var history = HistoryWriter.Create(historyPath, Name))
        {
            history.AddTag(new HistoryTag("v1", rootId.Hash, 1, Now, 0, "first", rootObject.ContentSize, string.Empty));
            history.Complete(null);
        }

        var (historyId, _) = await ObjectWriter.WriteFileAsync(sink, historyPath, ObjectKind.History, ContentHashAlgorithm.Sha1, ct);

        using var repositoryKey = RSA.Create(2048);
        using var certificate = RepositoryCertificate.Create(Name, repositoryKey, DateTimeOffset.FromUnixTimeSeconds(Now), TimeSpan.FromDays(3650));
        var (certificateId, _) = await ObjectWriter.WriteAsync(sink, certificate.Pem, ObjectKind.Certificate, ct);

        var whitelist = new RepositoryWhitelist
        {
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(Now),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(Now).AddDays(30),
            RepositoryName = Name,
            Fingerprints = [certificate.Fingerprint()],
        };
        await sink.WriteRootFileAsync(".cvmfswhitelist", SignedWhitelist.Create(whitelist, masterKey), ct);

        // The manifest goes last: everything it reaches is stored by now.
        var manifest = new RepositoryManifest
        {
            RootCatalogHash = rootId.Hash,
            RootCatalogSize = rootObject.ContentSize,
            TtlSeconds = 240,
            Revision = 1,
            RepositoryName = Name,
            CertificateHash = certificateId.Hash,
            HistoryHash = historyId.Hash,
            PublishTimestamp = Now,
        };
        await sink.WriteRootFileAsync(".cvmfspublished", SignedManifest.Create(manifest, repositoryKey), ct);
    }

    private static CatalogEntry Directory(string path, PathKey parent, EntryFlags flags) => new()
    {
        Key = PathKey.ForPath(path),
        ParentKey = parent,
        Flags = flags,
        Name = path.Length == 0 ? string.Empty : path[(path.LastIndexOf('/') + 1)..],
        Size = 4096,
        Mode = 0x41ED,
        Mtime = Now,
        Hardlinks = 2,
    };

    private static CatalogEntry File(string path, StoredFile stored) => new()
    {
        Key = PathKey.ForPath(path),
        ParentKey = PathKey.ForPath(path[..path.LastIndexOf('/')]),
        Flags = stored.Flags,
        Name = path[(path.LastIndexOf('/') + 1)..],
        ContentHash = stored.Hash,
        Size = stored.Size,
        Mode = 0x81A4,
        Mtime = Now,
    };
}
