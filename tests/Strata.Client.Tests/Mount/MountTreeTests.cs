using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Mount;

/// <summary>
/// The strongest check: mount the real CernVM-FS test repository through FUSE, walk it with real
/// syscalls (stat, lstat, readlink, listxattr, getxattr, read) in dump-tree.py, and compare with
/// what a stock cvmfs2 mount showed.
/// </summary>
public sealed class MountTreeTests
{
    [Fact]
    public async Task Mount_reproduces_the_cvmfs_tree_of_revision_2_exactly()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using (var mount = await TestMount.StartAsync(TestMount.Options(server.Url, scratch.Sub("cache")), scratch.Sub("mnt")))
        {
            var (tree, magic) = await ProcessRunner.DumpTreeAsync(mount.Path, scratch.Path);
            AssertLinesEqual(ExpectedTree("tree-r2.jsonl"), tree);
            AssertLinesEqual(File.ReadAllLines(TestVectors.Expected("magic-xattrs-r2.jsonl")), magic);
        }
    }

    [Fact]
    public async Task Mount_of_history_tag_reproduces_revision_1()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        var options = TestMount.Options(server.Url, scratch.Sub("cache"), o => o with { Tag = "r1-sync" });
        await using var mount = await TestMount.StartAsync(options, scratch.Sub("mnt"));
        var (tree, _) = await ProcessRunner.DumpTreeAsync(mount.Path, scratch.Path);
        AssertLinesEqual(ExpectedTree("tree-r1.jsonl"), tree);
    }

    [Fact]
    public async Task Listing_fetches_no_file_content_and_reading_a_chunk_fetches_only_that_chunk()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using var mount = await TestMount.StartAsync(TestMount.Options(server.Url, scratch.Sub("cache")), scratch.Sub("mnt"));

        Assert.Contains("random-6M.bin", Directory.GetFiles(mount["/data"]).Select(Path.GetFileName));
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith('P') || r.Path.Contains("/5d/", StringComparison.Ordinal));

        // The second chunk of random-6M.bin starts at 5534236; read well inside it (the kernel reads whole pages).
        using (var file = File.OpenRead(mount["/data/random-6M.bin"]))
        {
            file.Seek(5534236 + 200000, SeekOrigin.Begin);
            var buffer = new byte[16];
            Assert.Equal(16, file.Read(buffer));
        }

        var chunks = server.Requests.Where(r => r.Path.EndsWith('P')).Select(r => r.Path).ToList();
        Assert.Equal(["data/f6/ef3049f3915eec4fbd22ea593ae225237c6ffdP"], chunks);

        // Nested catalogs are fetched only when a path first enters them.
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("data/97/136cb3", StringComparison.Ordinal));
        Assert.True(File.Exists(mount["/nested/big/compressible-20M.txt"]));
        Assert.Contains(server.Requests, r => r.Path.StartsWith("data/97/136cb3", StringComparison.Ordinal));
    }

    /// <summary>The expected lines, minus the names of cvmfs's own virtual attributes on the root (not listed by this client).</summary>
    internal static string[] ExpectedTree(string name) =>
        [.. File.ReadAllLines(TestVectors.Expected(name)).Select(line =>
        {
            if (!line.Contains("cvmfs_magic_xattrs", StringComparison.Ordinal))
            {
                return line;
            }

            var start = line.IndexOf(",\"cvmfs_magic_xattrs\":", StringComparison.Ordinal);
            var end = line.IndexOf(']', start);
            return line[..start] + line[(end + 1)..];
        })];

    internal static void AssertLinesEqual(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && expected.Count == actual.Count,
            $"expected {expected.Count} lines, got {actual.Count}\nmissing:\n{string.Join('\n', missing.Take(10))}\nunexpected:\n{string.Join('\n', extra.Take(10))}");
        Assert.Equal(expected, actual);
    }

}
