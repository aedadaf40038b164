using System.Text.Json.Nodes;
using Strata.Client.Checkout;
using Strata.Client.Repository;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Checkout;

public sealed class CheckoutTests
{
    [Fact]
    public async Task Checkout_materializes_the_tree_with_content_modes_owners_links_and_xattrs()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using var client = await RepositoryClient.OpenAsync(TestMount.Options(server.Url, scratch.Sub("cache")), CancellationToken.None);
        var target = Path.Combine(scratch.Path, "out");

        var result = await new TreeCheckout(client).RunAsync("/", target, CancellationToken.None);
        Assert.True(result.Files > 40);
        Assert.Equal(1, result.Hardlinks);

        var (tree, _) = await ProcessRunner.DumpTreeAsync(target, scratch.Path);
        var expected = Mount.MountTreeTests.ExpectedTree("tree-r2.jsonl");
        Assert.Equal(expected.Length, tree.Length);
        foreach (var (want, got) in expected.Zip(tree))
        {
            var w = JsonNode.Parse(want)!.AsObject();
            var g = JsonNode.Parse(got)!.AsObject();

            // A plain directory's own size and the root's metadata come from the local file system.
            foreach (var volatileField in new[] { "size", "nlink", "mtime" })
            {
                if ((string)w["type"]! == "dir")
                {
                    w.Remove(volatileField);
                    g.Remove(volatileField);
                }
            }

            if ((string)w["path"]! == "/")
            {
                w.Remove("mode");
                g.Remove("mode");
            }

            Assert.Equal(w.ToJsonString(), g.ToJsonString());
        }
    }

    [Fact]
    public async Task Checkout_follows_symlinks_only_inside_the_repository_and_refuses_escapes()
    {
        using var scratch = new TemporaryDirectory();
        await using var server = new RepositoryServer(TestVectors.Repo);
        await using var client = await RepositoryClient.OpenAsync(TestMount.Options(server.Url, scratch.Sub("cache")), CancellationToken.None);

        // /links/to-dir -> ../deep/a/b: resolved inside the repository.
        var viaLink = Path.Combine(scratch.Path, "via-link");
        await new TreeCheckout(client).RunAsync("/links/to-dir", viaLink, CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(viaLink, "c/d/e/leaf.txt")));

        await Assert.ThrowsAsync<IOException>(() => new TreeCheckout(client).RunAsync("/../..", Path.Combine(scratch.Path, "escape"), CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => new TreeCheckout(client).RunAsync("/links/dangling", Path.Combine(scratch.Path, "dangling"), CancellationToken.None).ContinueWith(t => t.Exception!.InnerException is Strata.Cvmfs.CvmfsNotFoundException ? throw new IOException("not found") : t));

        // Never into a directory that holds something already (a planted symlink, say).
        var occupied = scratch.Sub("occupied");
        File.CreateSymbolicLink(Path.Combine(occupied, "README.txt"), "/etc/passwd");
        await Assert.ThrowsAsync<IOException>(() => new TreeCheckout(client).RunAsync("/", occupied, CancellationToken.None));
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(occupied, "README.txt")).LinkTarget);
    }
}
