using Strata.Client.Cache;
using Strata.Client.Fuse;
using Strata.Client.Repository;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Cache;

/// <summary>The shared cache: collapsing, quota, torn entries, a killed client.</summary>
public sealed class CacheTests
{
    private const string ReadmeObject = "data/fe/c189a08d3d1ec5bdd256e64480d5734b111291";
    private const string RootCatalog = "d6/d19aeabf6e6114b624c3ee335db87cfc7fed93C";

    [Fact]
    public async Task Concurrent_opens_of_one_object_share_one_download()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using var client = await RepositoryClient.OpenAsync(TestMount.Options(server.Url, scratch.Sub("cache")), CancellationToken.None);
        var view = client.Current;
        var entry = (await view.Reader.LookupAsync("/data/random-6M.bin", CancellationToken.None))!;

        var contents = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var content = await client.OpenFileAsync(view, entry, CancellationToken.None);
            var buffer = new byte[100];
            await content.ReadAsync(10, buffer, CancellationToken.None);
            return content;
        })));
        foreach (var content in contents)
        {
            await content.DisposeAsync();
        }

        Assert.Equal(1, server.CountRequests("data/5d/13562aef28626b2bf48bef81fc7c76d8d21d22P"));
    }

    [Fact]
    public async Task Quota_evicts_least_recently_used_content_but_keeps_catalogs_in_use()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        var options = TestMount.Options(server.Url, scratch.Sub("cache"), o => o with { Cache = o.Cache with { QuotaBytes = 8L * 1024 * 1024 } });
        await using var mount = await TestMount.StartAsync(options, scratch.Sub("mnt"));
        var cache = mount.Client.Cache;

        foreach (var path in new[] { "/README.txt", "/data/random-6M.bin", "/nested/big/compressible-20M.txt" })
        {
            Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", path), ExpectedTree.Sha256Of(await File.ReadAllBytesAsync(mount[path])));
        }

        Assert.True(mount.Client.Statistics.Evictions > 0);
        Assert.False(File.Exists(Path.Combine(cache.ObjectsDirectory, ReadmeObject["data/".Length..])), "the least recently used entry survived");
        Assert.True(File.Exists(Path.Combine(cache.ObjectsDirectory, RootCatalog)), "a pinned catalog was evicted");
        Assert.True(File.Exists(Path.Combine(cache.ObjectsDirectory, "97/136cb33fcac0be2e3d4b7ef05e5ae71e1a7bf11C")) || Directory.GetFiles(Path.Combine(cache.ObjectsDirectory, "97")).Any(f => f.EndsWith('C')));

        // Evicted content comes back transparently.
        Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/tiny/8.txt"), ExpectedTree.Sha256Of(await File.ReadAllBytesAsync(mount["/tiny/8.txt"])));
    }

    [Fact]
    public async Task Torn_cache_entry_is_detected_by_its_hash_and_refetched()
    {
        using var scratch = new TemporaryDirectory();
        var cacheDirectory = scratch.Sub("cache");
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using (var mount = await TestMount.StartAsync(TestMount.Options(server.Url, cacheDirectory), scratch.Sub("mnt")))
        {
            await File.ReadAllBytesAsync(mount["/README.txt"]);
        }

        // A power cut after rename but before the data reached the disk: same length, wrong bytes.
        var entry = Path.Combine(cacheDirectory, "objects", ReadmeObject["data/".Length..]);
        var bytes = await File.ReadAllBytesAsync(entry);
        bytes[3] ^= 0xff;
        await File.WriteAllBytesAsync(entry, bytes);

        await using (var mount = await TestMount.StartAsync(TestMount.Options(server.Url, cacheDirectory), scratch.Sub("mnt2")))
        {
            var content = await File.ReadAllBytesAsync(mount["/README.txt"]);
            Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/README.txt"), ExpectedTree.Sha256Of(content));
        }

        Assert.Equal(2, server.CountRequests(ReadmeObject));
    }

    [Fact]
    public async Task Client_that_dies_mid_mount_can_remount_and_its_cache_is_intact()
    {
        using var scratch = new TemporaryDirectory();
        var cacheDirectory = scratch.Sub("cache");
        var mountpoint = scratch.Sub("mnt");
        await using var server = new RepositoryServer(TestVectors.Repo);
        var first = await TestMount.StartAsync(TestMount.Options(server.Url, cacheDirectory), mountpoint);
        await File.ReadAllBytesAsync(first["/README.txt"]);
        await File.ReadAllBytesAsync(first["/data/random-6M.bin"]);

        // What the kernel does when the daemon dies: the connection is aborted, the mount answers
        // ENOTCONN, and a download that was in flight is left behind as debris (from a dead pid).
        Assert.True(FuseConnection.Abort(first.Fuse.Connection!.Value));
        Assert.Throws<IOException>(() => File.ReadAllBytes(Path.Combine(mountpoint, "README.txt")));
        await File.WriteAllBytesAsync(Path.Combine(cacheDirectory, "txn", "999999999-0123456789abcdef.tmp"), new byte[100]);
        await first.Fuse.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        // Detach the dead mount like an administrator would (umount -l), and mount again.
        FuseMount.TryDetach(mountpoint);
        var fetched = server.Requests.Count;
        await using (var mount = await TestMount.StartAsync(TestMount.Options(server.Url, cacheDirectory), mountpoint))
        {
            Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/data/random-6M.bin"), ExpectedTree.Sha256Of(await File.ReadAllBytesAsync(mount["/data/random-6M.bin"])));
            Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/README.txt"), ExpectedTree.Sha256Of(await File.ReadAllBytesAsync(mount["/README.txt"])));
        }

        // Only the manifest and whitelist were asked for again (at once, so in either order): every object came from the cache.
        Assert.Equal([".cvmfspublished", ".cvmfswhitelist"], server.Requests.Skip(fetched).Select(r => r.Path).Order(StringComparer.Ordinal).ToList());
        Assert.Empty(Directory.GetFiles(Path.Combine(cacheDirectory, "txn")));
        await first.Client.DisposeAsync();
    }

    [Fact]
    public async Task Offline_mount_uses_the_cached_manifest_when_no_mirror_answers()
    {
        using var scratch = new TemporaryDirectory();
        var cacheDirectory = scratch.Sub("cache");
        var server = new RepositoryServer(TestVectors.Repo);
        await using (var mount = await TestMount.StartAsync(TestMount.Options(server.Url, cacheDirectory), scratch.Sub("mnt")))
        {
            await File.ReadAllBytesAsync(mount["/README.txt"]);
        }

        await server.DisposeAsync();
        await using (var mount = await TestMount.StartAsync(TestMount.Options(server.Url, cacheDirectory), scratch.Sub("mnt2")))
        {
            Assert.True(mount.Client.Current.Offline);
            Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/README.txt"), ExpectedTree.Sha256Of(await File.ReadAllBytesAsync(mount["/README.txt"])));
        }
    }

    [Fact]
    public async Task Status_file_reports_hits_misses_bytes_and_cache_use()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using var mount = await TestMount.StartAsync(TestMount.Options(server.Url, scratch.Sub("cache")), scratch.Sub("mnt"));
        await File.ReadAllBytesAsync(mount["/README.txt"]);
        await File.ReadAllBytesAsync(mount["/README.txt"]);

        var status = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(mount.Client.WriteStatus(mount.Path)))!;
        Assert.True((long)status["cache_misses"]! >= 1);
        Assert.True((long)status["bytes_fetched"]! > 0);
        Assert.True((long)status["cache_bytes"]! > 0);
        Assert.Equal(2, (long)status["revision"]!);
        Assert.Equal(TestVectors.RepositoryName, (string)status["fqrn"]!);
    }
}
