using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Strata.Metadata.Contracts;
using Strata.Metadata.Sqlite;
using Strata.Oci.Digests;
using Strata.Oci.Manifests;
using Strata.Storage;
using Strata.Storage.FileSystem;

namespace Strata.Publish.Tests.Support;

/// <summary>A real registry store in a temporary directory: FileSystemBlobDriver + SqliteMetadataStore, filled the way a push fills them.</summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    private TestRegistry(string directory, FileSystemBlobDriver driver, SqliteMetadataStore store)
    {
        Directory = directory;
        Driver = driver;
        Store = store;
    }

    public string Directory { get; }

    public FileSystemBlobDriver Driver { get; }

    public SqliteMetadataStore Store { get; }

    public static async Task<TestRegistry> CreateAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("strata-publish-").FullName;
        var driver = new FileSystemBlobDriver(Path.Combine(directory, "blobs"));
        var store = new SqliteMetadataStore(Path.Combine(directory, "metadata.db"), TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        return new TestRegistry(directory, driver, store);
    }

    public async Task<Descriptor> PushBlobAsync(string repository, byte[] content, string mediaType)
    {
        var digest = Digest.Compute(DigestAlgorithm.Sha256, content);
        await Driver.PutAsync(BlobPaths.Blob(digest), new MemoryStream(content), CancellationToken.None);
        await Store.LinkBlobAsync(repository, new BlobRecord(digest, content.Length, DateTimeOffset.UtcNow), CancellationToken.None);
        return new Descriptor(mediaType, digest, content.Length);
    }

    /// <summary>Pushes an image (config + gzip layers + manifest) and tags it; returns the manifest record.</summary>
    public async Task<ManifestRecord> PushImageAsync(string repository, string? tag, IReadOnlyList<byte[]> layersTarGz, string architecture = "amd64", string? variant = null, bool docker = false, string? configSeed = null)
    {
        var layers = new List<Descriptor>();
        var diffIds = new List<string>();
        foreach (var layer in layersTarGz)
        {
            layers.Add(await PushBlobAsync(repository, layer, docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip));
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer is [0x1f, 0x8b, ..] ? Ungzip(layer) : layer)));
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["variant"] = variant,
            ["config"] = new Dictionary<string, object> { ["Cmd"] = new[] { "/bin/sh" }, ["Labels"] = new Dictionary<string, string> { ["seed"] = configSeed ?? string.Empty } },
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = diffIds },
        });
        var configDescriptor = await PushBlobAsync(repository, config, docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig);
        var mediaType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = mediaType,
            ["config"] = Describe(configDescriptor),
            ["layers"] = layers.Select(Describe).ToArray(),
        });
        return await PutManifestAsync(repository, tag, manifest, mediaType, [configDescriptor.Digest, .. layers.Select(l => l.Digest)], []);
    }

    public async Task<ManifestRecord> PushIndexAsync(string repository, string tag, IReadOnlyList<(ManifestRecord Manifest, string Architecture, string? Variant)> images, bool withAttestation = false)
    {
        var entries = images.Select(i => (object)new Dictionary<string, object>
        {
            ["mediaType"] = i.Manifest.MediaType,
            ["digest"] = i.Manifest.Digest.ToString(),
            ["size"] = i.Manifest.Size,
            ["platform"] = i.Variant is null
                ? new Dictionary<string, string> { ["architecture"] = i.Architecture, ["os"] = "linux" }
                : new Dictionary<string, string> { ["architecture"] = i.Architecture, ["os"] = "linux", ["variant"] = i.Variant },
        }).ToList();
        if (withAttestation)
        {
            entries.Add(new Dictionary<string, object>
            {
                ["mediaType"] = images[0].Manifest.MediaType,
                ["digest"] = images[0].Manifest.Digest.ToString(),
                ["size"] = images[0].Manifest.Size,
                ["platform"] = new Dictionary<string, string> { ["architecture"] = "unknown", ["os"] = "unknown" },
                ["annotations"] = new Dictionary<string, string> { ["vnd.docker.reference.type"] = "attestation-manifest" },
            });
        }

        var index = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = entries,
        });
        return await PutManifestAsync(repository, tag, index, MediaTypes.OciIndex, [], [.. images.Select(i => i.Manifest.Digest).Distinct()]);
    }

    public async Task<ManifestRecord> PutManifestAsync(string repository, string? tag, byte[] content, string mediaType, IReadOnlyList<Digest> blobs, IReadOnlyList<Digest> manifests)
    {
        var record = new ManifestRecord(repository, Digest.Compute(DigestAlgorithm.Sha256, content), mediaType, content.Length, null, null, null, content, DateTimeOffset.UtcNow);
        var result = await Store.PutManifestAsync(new ManifestWrite(record, blobs, manifests, tag is null ? [] : [tag]), CancellationToken.None);
        Assert.True(result.Succeeded);
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Dictionary<string, object> Describe(Descriptor d) => new()
    {
        ["mediaType"] = d.MediaType,
        ["digest"] = d.Digest.ToString(),
        ["size"] = d.Size,
    };

    private static byte[] Ungzip(byte[] data)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(data), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
