using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Metadata.Sqlite;
using Strata.Metadata.Tests.Postgres;
using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Oci.Manifests;
using Strata.Registry.Blobs;
using Strata.Registry.Gc;
using Strata.Registry.Jobs;
using Strata.Registry.Manifests;
using Strata.Registry.Uploads;
using Strata.Storage;
using Strata.Storage.Drivers;
using Strata.Storage.FileSystem;
using Strata.Storage.S3;
using Strata.Storage.Tests.S3;

namespace Strata.Registry.Tests.Gc.Support;

/// <summary>
/// The registry's services over a real metadata store and a real blob driver (SQLite + filesystem, or
/// PostgreSQL + S3), with a garbage collector, and the client-side steps of a push and a pull.
/// </summary>
internal sealed class RegistryHarness : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private RegistryHarness(IMetadataStore store, IBlobDriver driver, GcOptions options, Func<ValueTask> cleanup)
    {
        Store = store;
        Driver = driver;
        Options = options;
        _cleanup = cleanup;
        var time = TimeProvider.System;
        var gc = Microsoft.Extensions.Options.Options.Create(options);
        Uploads = new UploadService(driver, store, store, new UploadStates(time), time, gc);
        Blobs = new BlobService(driver, store);
        Manifests = new ManifestService(store, store, Microsoft.Extensions.Options.Options.Create(new RegistryOptions()), time, new JobSignal());
        Metrics = new GcMetrics();
        Collector = new GarbageCollector(store, driver, gc, time, Metrics, NullLogger<GarbageCollector>.Instance);
    }

    public IMetadataStore Store { get; }
    public IBlobDriver Driver { get; }
    public GcOptions Options { get; }
    public UploadService Uploads { get; }
    public BlobService Blobs { get; }
    public ManifestService Manifests { get; }
    public GcMetrics Metrics { get; }
    public GarbageCollector Collector { get; }

    public static async Task<RegistryHarness> SqliteFileSystemAsync(GcOptions options)
    {
        var directory = Directory.CreateTempSubdirectory("strata-gc-").FullName;
        var store = new SqliteMetadataStore(Path.Combine(directory, "strata.db"), TimeProvider.System);
        await store.InitializeAsync(default);
        var driver = new FileSystemBlobDriver(Path.Combine(directory, "storage"));
        return new RegistryHarness(store, driver, options, async () =>
        {
            await store.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        });
    }

    public static async Task<RegistryHarness> PostgresS3Async(GcOptions options)
    {
        var database = await PostgresTestDatabase.CreateMigratedAsync();
        var store = new PostgresMetadataStore(database.ConnectionString, TimeProvider.System);
        await store.InitializeAsync(default);
        var folder = Guid.NewGuid().ToString("N");
        var s3 = S3TestServer.Instance;
        var driver = new S3BlobDriver(s3.Options($"gc/{folder}"));
        return new RegistryHarness(store, driver, options, async () =>
        {
            driver.Dispose();
            await s3.CleanAsync("gc", folder);
            await store.DisposeAsync();
            await database.DisposeAsync();
        });
    }

    /// <summary>Deterministic content of a named blob (1 to 8 KiB).</summary>
    public static byte[] Content(string name)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = new byte[1024 + (BitConverter.ToUInt16(seed) % 7168)];
        new Random(BitConverter.ToInt32(seed)).NextBytes(bytes);
        return bytes;
    }

    public static Digest DigestOf(byte[] content) => Digest.Compute(DigestAlgorithm.Sha256, content);

    /// <summary>Uploads a blob as a client does: skipped when the repository already has it (HEAD), else monolithic or chunked.</summary>
    public async Task EnsureBlobAsync(string repository, byte[] content, bool chunked, CancellationToken cancellationToken)
    {
        var digest = DigestOf(content);
        try
        {
            await Blobs.GetAsync(repository, digest, cancellationToken);
            return;
        }
        catch (RegistryException e) when (e.Code == OciErrorCode.BlobUnknown)
        {
        }

        await UploadAsync(repository, content, chunked, cancellationToken);
    }

    public async Task UploadAsync(string repository, byte[] content, bool chunked, CancellationToken cancellationToken)
    {
        var digest = DigestOf(content);
        if (!chunked)
        {
            await Uploads.PutMonolithicAsync(repository, digest, new MemoryStream(content), cancellationToken);
            return;
        }

        var session = await Uploads.StartAsync(repository, DigestAlgorithm.Sha256, cancellationToken);
        var half = content.Length / 2;
        await Uploads.AppendAsync(repository, session.Id, new MemoryStream(content, 0, half), null, half, cancellationToken);
        await Uploads.CompleteAsync(repository, session.Id, digest, new MemoryStream(content, half, content.Length - half), null, content.Length - half, cancellationToken);
    }

    /// <summary>An OCI image manifest for a config and layers.</summary>
    public static byte[] ImageManifest(byte[] config, IReadOnlyList<byte[]> layers)
    {
        static string Descriptor(string mediaType, byte[] blob) =>
            $$"""{"mediaType":"{{mediaType}}","digest":"{{DigestOf(blob)}}","size":{{blob.Length}}}""";
        return Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Descriptor(MediaTypes.OciConfig, config)}},"layers":[{{string.Join(",", layers.Select(l => Descriptor(MediaTypes.OciLayerTar, l)))}}]}""");
    }

    /// <summary>
    /// Pushes an image as a client does (blobs, then the manifest under a tag); a manifest refused for
    /// a blob collected since its HEAD (a push slower than the grace period) is pushed again.
    /// </summary>
    public async Task<Digest> PushImageAsync(string repository, string tag, byte[] config, IReadOnlyList<byte[]> layers, bool chunked, CancellationToken cancellationToken)
    {
        var manifest = ImageManifest(config, layers);
        for (var attempt = 1; ; attempt++)
        {
            // As a client that runs the push again: HEAD each blob, upload what the repository lacks.
            foreach (var blob in layers.Prepend(config))
            {
                await EnsureBlobAsync(repository, blob, chunked, cancellationToken);
            }

            try
            {
                var stored = await Manifests.PutAsync(repository, new ManifestReference(tag, null), manifest, MediaTypes.OciManifest, [], cancellationToken);
                return stored.Digest;
            }
            catch (RegistryException e) when (e.Code == OciErrorCode.ManifestBlobUnknown && attempt < 8)
            {
            }
        }
    }

    /// <summary>Pulls a tag completely: the manifest, then every blob it references, each verified against its digest and size.</summary>
    public async Task PullAndVerifyAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var record = await Manifests.GetAsync(repository, new ManifestReference(tag, null), cancellationToken);
        var document = ManifestParser.Parse(record.Content, record.MediaType);
        foreach (var descriptor in document.Blobs)
        {
            var blob = await Blobs.GetAsync(repository, descriptor.Digest, cancellationToken);
            Assert.Equal(descriptor.Size, blob.Size);
            await using var stream = await Blobs.OpenAsync(descriptor.Digest, 0, cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[16384];
            long total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }

            Assert.Equal(descriptor.Size, total);
            Assert.Equal(descriptor.Digest, Digest.FromHash(DigestAlgorithm.Sha256, hash.GetCurrentHash()));
        }
    }

    /// <summary>Every blob digest stored under <c>blobs/</c>.</summary>
    public async Task<HashSet<string>> ListStoredBlobsAsync(CancellationToken cancellationToken)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in Driver.ListAsync(BlobPaths.BlobsRoot, cancellationToken))
        {
            Assert.True(GarbageCollector.TryParseBlobPath(item.Path, out var digest), $"unexpected object {item.Path}");
            stored.Add(digest.ToString());
        }

        return stored;
    }

    /// <summary>Every object under <c>uploads/</c>.</summary>
    public async Task<List<string>> ListUploadObjectsAsync(CancellationToken cancellationToken)
    {
        var stored = new List<string>();
        await foreach (var item in Driver.ListAsync(BlobPaths.UploadsRoot, cancellationToken))
        {
            stored.Add(item.Path);
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        await _cleanup();
    }
}
