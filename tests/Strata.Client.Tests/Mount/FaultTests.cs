using System.Diagnostics;
using Strata.Client.Network;
using Strata.Client.Repository;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Mount;

/// <summary>What a mount does when mirrors die, lie or lag.</summary>
public sealed class FaultTests
{
    private const string ReadmeObject = "data/fe/c189a08d3d1ec5bdd256e64480d5734b111291";

    [Fact]
    public async Task Upstream_dies_cached_files_still_read_others_fail_with_EIO_without_hanging()
    {
        using var scratch = new TemporaryDirectory();
        var server = new RepositoryServer(TestVectors.Repo);
        await using var mount = await TestMount.StartAsync(TestMount.Options(server.Url, scratch.Sub("cache")), scratch.Sub("mnt"));
        var readme = await File.ReadAllBytesAsync(mount["/README.txt"]);

        await server.DisposeAsync();
        var clock = Stopwatch.StartNew();
        await Task.Run(() =>
        {
            Assert.Equal(readme, File.ReadAllBytes(mount["/README.txt"]));
            var notCached = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(mount["/tiny/5.txt"]));
            Assert.Contains("Input/output error", notCached.Message, StringComparison.Ordinal);

            // A nested catalog never loaded cannot be entered either.
            Assert.ThrowsAny<IOException>(() => Directory.GetFiles(mount["/nested/level2"]));
        }).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.True(mount.Client.Statistics.IoErrors >= 1);
    }

    [Fact]
    public async Task Corrupt_object_on_first_mirror_is_detected_and_fetched_from_the_second()
    {
        using var scratch = new TemporaryDirectory();
        await using var bad = new RepositoryServer(TestVectors.Repo);
        await using var good = new RepositoryServer(TestVectors.Repo);
        bad.Corrupt(ReadmeObject);
        await using var mount = await TestMount.StartAsync(TestMount.Options($"{bad.Url},{good.Url}", scratch.Sub("cache")), scratch.Sub("mnt"));

        var content = await File.ReadAllBytesAsync(mount["/README.txt"]);

        Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/README.txt"), ExpectedTree.Sha256Of(content));
        Assert.Equal([(ReadmeObject, false), (ReadmeObject, true)], bad.Requests.Where(r => r.Path == ReadmeObject).ToList());
        Assert.Equal(1, good.CountRequests(ReadmeObject));
        Assert.Equal(2, mount.Client.Statistics.CorruptDownloads);
    }

    [Fact]
    public async Task Corrupt_copy_in_a_cache_is_refetched_with_no_cache_from_the_same_mirror()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo) { CorruptionFixedByNoCache = true };
        server.Corrupt(ReadmeObject);
        await using var mount = await TestMount.StartAsync(TestMount.Options(server.Url, scratch.Sub("cache")), scratch.Sub("mnt"));

        var content = await File.ReadAllBytesAsync(mount["/README.txt"]);

        Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/README.txt"), ExpectedTree.Sha256Of(content));
        Assert.Equal([(ReadmeObject, false), (ReadmeObject, true)], server.Requests.Where(r => r.Path == ReadmeObject).ToList());
    }

    [Fact]
    public async Task Mirror_serving_an_older_revision_is_refused()
    {
        using var scratch = new TemporaryDirectory();
        var cache = scratch.Sub("cache");
        await using var good = new RepositoryServer(TestVectors.Repo);
        await using var stale = new RepositoryServer(TestVectors.Repo);
        stale.Override(".cvmfspublished", await OlderManifest.PointingToRevision1Async(1));

        // Revision 2 seen once: remembered in the cache.
        await (await RepositoryClient.OpenAsync(TestMount.Options(good.Url, cache), CancellationToken.None)).DisposeAsync();

        await using (var client = await RepositoryClient.OpenAsync(TestMount.Options($"{stale.Url},{good.Url}", cache), CancellationToken.None))
        {
            Assert.Equal(2, client.Current.ManifestRevision);
            Assert.Equal(1, client.Current.Mirror);
        }

        var refused = await Assert.ThrowsAsync<RepositoryUnavailableException>(() => RepositoryClient.OpenAsync(TestMount.Options(stale.Url, cache), CancellationToken.None));
        Assert.Contains("older than revision 2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_revision_becomes_visible_without_remount_and_open_files_keep_reading_the_old_one()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        var options = TestMount.Options(server.Url, scratch.Sub("cache"), o => o with { RevisionCheckInterval = TimeSpan.FromMilliseconds(500) });
        await using var mount = await TestMount.StartAsync(options, scratch.Sub("mnt"));
        var path = mount["/docs/changeme.txt"];
        Assert.False(File.Exists(mount["/nested/to-delete.txt"]));

        using var open = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var first = new byte[4];
        Assert.Equal(4, open.Read(first));

        // Revision 3 republishes revision 1's tree, where changeme.txt has other content.
        server.Override(".cvmfspublished", await OlderManifest.PointingToRevision1Async(3));
        var r1 = ExpectedTree.Sha256("tree-r1.jsonl", "/docs/changeme.txt");
        var deadline = Stopwatch.StartNew();
        while (ExpectedTree.Sha256Of(await File.ReadAllBytesAsync(path)) != r1)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "revision 3 never became visible");
            await Task.Delay(200);
        }

        Assert.Equal(3, mount.Client.Current.ManifestRevision);
        Assert.True(File.Exists(mount["/nested/to-delete.txt"]));

        // The file opened on revision 2 still reads revision 2's bytes to the end.
        var rest = new MemoryStream();
        rest.Write(first);
        open.CopyTo(rest);
        Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", "/docs/changeme.txt"), ExpectedTree.Sha256Of(rest.ToArray()));
    }

    [Fact]
    public async Task Directory_listing_cached_by_the_kernel_is_replaced_when_a_new_revision_arrives()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        var options = TestMount.Options(server.Url, scratch.Sub("cache"), o => o with { RevisionCheckInterval = TimeSpan.FromMilliseconds(500) });

        // Names and attributes cached for a minute: only the listing can show the new revision.
        await using var mount = await TestMount.StartAsync(options, scratch.Sub("mnt"), TimeSpan.FromSeconds(60));
        static List<string> Names(string directory) => [.. Directory.EnumerateFileSystemEntries(directory).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal)];
        var revision2 = Names(mount["/nested"]);
        Assert.DoesNotContain("to-delete.txt", revision2);
        Assert.Equal(revision2, Names(mount["/nested"]));

        // Revision 3 republishes revision 1's tree, where /nested holds to-delete.txt.
        server.Override(".cvmfspublished", await OlderManifest.PointingToRevision1Async(3));
        var deadline = Stopwatch.StartNew();
        while (!Names(mount["/nested"]).Contains("to-delete.txt"))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the listing of revision 3 never became visible");
            await Task.Delay(200);
        }

        Assert.Equal(3, mount.Client.Current.ManifestRevision);
        var expected = File.ReadLines(TestVectors.Expected("tree-r1.jsonl"))
            .Select(l => (string)System.Text.Json.Nodes.JsonNode.Parse(l)!["path"]!)
            .Where(p => Path.GetDirectoryName(p) == "/nested")
            .Select(p => Path.GetFileName(p))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, Names(mount["/nested"]));
    }
}
