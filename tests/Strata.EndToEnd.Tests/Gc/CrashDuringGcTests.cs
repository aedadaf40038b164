using System.Security.Cryptography;
using System.Text;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Gc;
using Strata.Metadata.Sqlite;
using Strata.Oci.Digests;
using OciMediaTypes = Strata.Oci.Manifests.MediaTypes;
using Strata.Storage;
using Strata.Storage.FileSystem;
using Xunit.Abstractions;

namespace Strata.EndToEnd.Tests.Gc;

/// <summary>
/// <c>kill -9</c> of a real <c>strata gc</c> process in the middle of a collection: the store stays
/// consistent (every link and reference has its bytes, an image still pulls whole), and the next run
/// finishes the job, including the deletions the killed one had started.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CrashDuringGcTests(ITestOutputHelper output)
{
    private const int GarbageBlobs = 3000;

    [Fact]
    public async Task Kill_9_during_gc_leaves_a_consistent_store_and_the_next_run_finishes()
    {
        using var folder = new TempDirectory("gc-crash");
        var data = folder.CreateDirectory("strata-data");
        var storage = Path.Combine(data, "storage");
        var driver = new FileSystemBlobDriver(storage);
        List<(Digest Digest, byte[] Content)> kept;
        await using (var store = new SqliteMetadataStore(Path.Combine(data, "strata.db"), TimeProvider.System))
        {
            await store.InitializeAsync(default);
            kept = await PushImageAsync(store, driver, "crash/kept", "v1");
            for (var i = 0; i < GarbageBlobs; i++)
            {
                var content = Encoding.UTF8.GetBytes($"garbage {i} " + new string('x', i % 200));
                var digest = Digest.Compute(DigestAlgorithm.Sha256, content);
                await driver.PutAsync(BlobPaths.Blob(digest), new MemoryStream(content), default);
                await store.LinkBlobAsync("crash/garbage", new BlobRecord(digest, content.Length, DateTimeOffset.UtcNow), default);
            }
        }

        // One worker and a short lease: slow enough to be killed in the middle, quick to be taken over.
        string[] settings = ["--no-sweep", "--quiet", "--Gc:GracePeriod", "00:00:00", "--Gc:LeaseDuration", "00:00:01", "--Gc:Concurrency", "1"];
        await using (var first = Gc(data, settings))
        {
            var midway = await WaitForAsync(() => CountBlobs(storage) <= GarbageBlobs - 300, first.Exited, TimeSpan.FromSeconds(120));
            Assert.True(midway, $"gc deleted nothing within 120 s:\n{first.OutputSoFar()}");
            await first.KillAsync();
            Assert.False(first.OutputSoFar().Contains("gc succeeded", StringComparison.Ordinal), $"gc finished before it was killed:\n{first.OutputSoFar()}");
        }

        var left = CountBlobs(storage);
        output.WriteLine($"killed with {left} of {GarbageBlobs + kept.Count} blobs stored");
        Assert.True(left > kept.Count, "the kill came after the end");
        await AssertConsistentAsync(data, driver, kept);

        // The killed worker's leases expire; the next run takes its reviews over and finishes.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using (var second = Gc(data, settings))
        {
            var result = await second.WaitAsync(TimeSpan.FromMinutes(3));
            result.EnsureSuccess();
            output.WriteLine(result.StandardOutput);
        }

        Assert.Equal(kept.Count, CountBlobs(storage));
        await AssertConsistentAsync(data, driver, kept);
        await using (var store = new SqliteMetadataStore(Path.Combine(data, "strata.db"), TimeProvider.System))
        {
            await store.InitializeAsync(default);
            Assert.Equal(new GcBacklog(0, 0, 0), await store.GetBacklogAsync(default));
            Assert.DoesNotContain(await store.ListBlobUsageAsync(default), u => u.Repository == "crash/garbage");
        }
    }

    private static RunningProcess Gc(string data, string[] settings)
    {
        var strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        Assert.True(File.Exists(strata), $"{strata} is missing");
        return RunningProcess.Start(new ProcessSpec("dotnet", [strata, "gc", "--data", data, .. settings])
        {
            WorkingDirectory = Path.GetDirectoryName(data),
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
        });
    }

    /// <summary>Every blob a repository keeps has its bytes, and the kept image's blobs hash right.</summary>
    private static async Task AssertConsistentAsync(string data, FileSystemBlobDriver driver, List<(Digest Digest, byte[] Content)> kept)
    {
        await using var store = new SqliteMetadataStore(Path.Combine(data, "strata.db"), TimeProvider.System);
        await store.InitializeAsync(default);
        foreach (var usage in await store.ListBlobUsageAsync(default))
        {
            Assert.NotNull(await driver.StatAsync(BlobPaths.Blob(Digest.Parse(usage.Digest)), default));
        }

        var manifest = await store.GetManifestByTagAsync("crash/kept", "v1", default);
        Assert.NotNull(manifest);
        foreach (var (digest, content) in kept)
        {
            Assert.NotNull(await store.GetRepositoryBlobAsync("crash/kept", digest, default));
            await using var stream = await driver.OpenReadAsync(BlobPaths.Blob(digest), 0, default);
            Assert.Equal(digest, Digest.Compute(DigestAlgorithm.Sha256, await ReadAllAsync(stream)));
        }
    }

    private static async Task<List<(Digest, byte[])>> PushImageAsync(SqliteMetadataStore store, FileSystemBlobDriver driver, string repository, string tag)
    {
        var blobs = new List<(Digest, byte[])>();
        foreach (var name in new[] { "config", "layer-1", "layer-2" })
        {
            var content = RandomNumberGenerator.GetBytes(4096);
            var digest = Digest.Compute(DigestAlgorithm.Sha256, content);
            await driver.PutAsync(BlobPaths.Blob(digest), new MemoryStream(content), default);
            await store.LinkBlobAsync(repository, new BlobRecord(digest, content.Length, DateTimeOffset.UtcNow), default);
            blobs.Add((digest, content));
        }

        var json = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{OciMediaTypes.OciManifest}}","config":{"mediaType":"{{OciMediaTypes.OciConfig}}","digest":"{{blobs[0].Item1}}","size":4096},"layers":[{"mediaType":"{{OciMediaTypes.OciLayerTar}}","digest":"{{blobs[1].Item1}}","size":4096},{"mediaType":"{{OciMediaTypes.OciLayerTar}}","digest":"{{blobs[2].Item1}}","size":4096}]}""");
        var manifest = new ManifestRecord(repository, Digest.Compute(DigestAlgorithm.Sha256, json), OciMediaTypes.OciManifest, json.Length, null, null, null, json, DateTimeOffset.UtcNow);
        var result = await store.PutManifestAsync(new ManifestWrite(manifest, [.. blobs.Select(b => b.Item1)], [], [tag]), default);
        Assert.True(result.Succeeded);
        return blobs;
    }

    private static int CountBlobs(string storage)
    {
        var blobs = Path.Combine(storage, BlobPaths.BlobsRoot);
        return Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count() : 0;
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, Task exited, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !exited.IsCompleted)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
