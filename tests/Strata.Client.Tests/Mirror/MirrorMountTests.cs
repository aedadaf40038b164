using Strata.Client.Tests.Mount;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Mirror;

/// <summary>
/// A Stratum 1 made by the real <c>strata mirror</c> command, served by a plain static web server
/// with the origin stopped, mounted by the client: the same trees as from the origin.
/// </summary>
public sealed class MirrorMountTests
{
    [Fact]
    public async Task Mount_from_a_strata_mirror_copy_with_the_origin_stopped_reproduces_revision_2_and_the_tagged_revision_1()
    {
        using var scratch = new TemporaryDirectory();
        var stratum1 = scratch.Sub("stratum1");
        await using (var origin = new RepositoryServer(TestVectors.Repo))
        {
            var (exit, output) = await StrataCli.RunAsync(TimeSpan.FromMinutes(3), "mirror", origin.Url, stratum1, "--key", TestVectors.MasterKeyFile);
            Assert.True(exit == 0, $"strata mirror failed ({exit}):\n{output}");
        }

        // The origin is gone; only the mirror directory, served statically, remains.
        await using var mirror = new RepositoryServer(stratum1);
        await using (var mount = await TestMount.StartAsync(TestMount.Options(mirror.Url, scratch.Sub("cache")), scratch.Sub("mnt")))
        {
            var (tree, magic) = await ProcessRunner.DumpTreeAsync(mount.Path, scratch.Sub("dump-r2"));
            MountTreeTests.AssertLinesEqual(MountTreeTests.ExpectedTree("tree-r2.jsonl"), tree);
            MountTreeTests.AssertLinesEqual(File.ReadAllLines(TestVectors.Expected("magic-xattrs-r2.jsonl")), magic);
        }

        var options = TestMount.Options(mirror.Url, scratch.Sub("cache-r1"), o => o with { Tag = "r1-sync" });
        await using (var mount = await TestMount.StartAsync(options, scratch.Sub("mnt-r1")))
        {
            var (tree, _) = await ProcessRunner.DumpTreeAsync(mount.Path, scratch.Sub("dump-r1"));
            MountTreeTests.AssertLinesEqual(MountTreeTests.ExpectedTree("tree-r1.jsonl"), tree);
        }

        Assert.Contains(mirror.Requests, r => r.Path.EndsWith('C'));
        Assert.Contains(mirror.Requests, r => r.Path.EndsWith('P'));
    }
}
