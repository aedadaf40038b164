using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Mount;

/// <summary>The real <c>strata mount</c> process: killed with -9, restarted, stopped with SIGTERM.</summary>
public sealed class ClientProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Kill_9_of_strata_mount_leaves_a_dead_mount_that_the_next_strata_mount_replaces_reusing_the_intact_cache()
    {
        using var scratch = new TemporaryDirectory();
        var cache = scratch.Sub("cache");
        var mountpoint = scratch.Sub("mnt");
        await using var server = new RepositoryServer(TestVectors.Repo);
        try
        {
            await using (var first = StartMount(server.Url, cache, mountpoint))
            {
                await first.WaitForLineAsync(l => l.Contains("mounted on", StringComparison.Ordinal), StartTimeout);
                AssertContent(mountpoint, "/README.txt");
                AssertContent(mountpoint, "/data/random-6M.bin");
                Assert.Single(Directory.GetFiles(Path.Combine(cache, "repos", TestVectors.RepositoryName), "status-*.json"));

                first.Kill();
                Assert.Equal(137, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            // The kernel aborted the connection: the mount is still there, and every access fails.
            Assert.Equal(["fuse.strata"], MountTable.TypesAt(mountpoint));
            var dead = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(Path.Combine(mountpoint, "README.txt")));
            Assert.Contains("not connected", dead.Message, StringComparison.Ordinal);

            // Restarting the client is all it takes: the dead mount is replaced, not stacked.
            var before = server.Requests.Count;
            await using (var second = StartMount(server.Url, cache, mountpoint))
            {
                await second.WaitForLineAsync(l => l.Contains("mounted on", StringComparison.Ordinal), StartTimeout);
                Assert.Equal(["fuse.strata"], MountTable.TypesAt(mountpoint));
                AssertContent(mountpoint, "/data/random-6M.bin");
                AssertContent(mountpoint, "/README.txt");

                // Cache intact and reused: only the manifest and whitelist were asked for again.
                Assert.Equal([".cvmfspublished", ".cvmfswhitelist"], server.Requests.Skip(before).Select(r => r.Path).Order(StringComparer.Ordinal).ToList());

                // The killed client's status file is gone from --stats; the live one is shown.
                var (exit, stats) = await StrataCli.RunAsync(TimeSpan.FromSeconds(60), "mount", "--stats", "--cache", cache);
                Assert.Equal(0, exit);
                Assert.Contains($"status-{second.Id}.json", stats, StringComparison.Ordinal);
                Assert.Single(Directory.GetFiles(Path.Combine(cache, "repos", TestVectors.RepositoryName), "status-*.json"));

                // SIGTERM: an orderly unmount, nothing left behind.
                second.Terminate();
                Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            Assert.Empty(MountTable.TypesAt(mountpoint));
            Assert.Empty(Directory.GetFiles(Path.Combine(cache, "txn")));
        }
        finally
        {
            while (MountTable.TypesAt(mountpoint).Count > 0 && Strata.Client.Fuse.FuseMount.TryDetach(mountpoint))
            {
            }
        }
    }

    [Fact]
    public async Task Killed_while_a_download_is_in_flight_the_reader_gets_an_error_and_the_restarted_client_serves_the_file()
    {
        using var scratch = new TemporaryDirectory();
        var cache = scratch.Sub("cache");
        var mountpoint = scratch.Sub("mnt");
        await using var server = new RepositoryServer(TestVectors.Repo);
        try
        {
            await using (var first = StartMount(server.Url, cache, mountpoint))
            {
                await first.WaitForLineAsync(l => l.Contains("mounted on", StringComparison.Ordinal), StartTimeout);
                Assert.True(Directory.Exists(Path.Combine(mountpoint, "nested", "big")));

                // The upstream stops answering; a reader blocks on a download in flight, then the client dies.
                server.Hang = true;
                var reader = Task.Run(() => File.ReadAllBytes(Path.Combine(mountpoint, "nested", "big", "compressible-20M.txt")));
                await Task.Delay(500);
                Assert.False(reader.IsCompleted);
                first.Kill();
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
                await Assert.ThrowsAnyAsync<IOException>(() => reader.WaitAsync(TimeSpan.FromSeconds(30)));
            }

            server.Hang = false;
            await using var second = StartMount(server.Url, cache, mountpoint);
            await second.WaitForLineAsync(l => l.Contains("mounted on", StringComparison.Ordinal), StartTimeout);
            AssertContent(mountpoint, "/nested/big/compressible-20M.txt");
            Assert.Empty(Directory.GetFiles(Path.Combine(cache, "txn")));
            Assert.Equal([second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Directory.GetDirectories(Path.Combine(cache, "work")).Select(Path.GetFileName));
        }
        finally
        {
            while (MountTable.TypesAt(mountpoint).Count > 0 && Strata.Client.Fuse.FuseMount.TryDetach(mountpoint))
            {
            }
        }
    }

    [Theory]
    [InlineData("missing key file", "http://127.0.0.1:9/cvmfs/vectors.strata.test", "Could not find file")]
    [InlineData("not an http(s) URL", "ftp://127.0.0.1/cvmfs/vectors.strata.test", "Not an http(s) repository URL")]
    public async Task Strata_mount_with_bad_input_says_what_is_wrong_in_one_line_and_mounts_nothing(string _, string url, string expected)
    {
        using var scratch = new TemporaryDirectory();
        var mountpoint = scratch.Sub("mnt");
        var key = url.StartsWith("http:", StringComparison.Ordinal) ? Path.Combine(scratch.Path, "no-such.pub") : TestVectors.MasterKeyFile;

        var (exit, output) = await StrataCli.RunAsync(TimeSpan.FromSeconds(60), "mount", "--key", key, "--cache", scratch.Sub("cache"), url, mountpoint);

        Assert.Equal(1, exit);
        Assert.StartsWith("strata mount: ", output.Trim(), StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Empty(MountTable.TypesAt(mountpoint));
    }

    private static ChildProcess StartMount(string url, string cache, string mountpoint) =>
        StrataCli.Start("mount", "--key", TestVectors.MasterKeyFile, "--cache", cache, "--timeout", "2", "--retries", "0", "--kernel-cache", "1", url, mountpoint);

    private static void AssertContent(string mountpoint, string path) =>
        Assert.Equal(ExpectedTree.Sha256("tree-r2.jsonl", path), ExpectedTree.Sha256Of(File.ReadAllBytes(Path.Combine(mountpoint, path.TrimStart('/')))));
}
