using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Client.Tests.Support;

namespace Strata.Client.Tests.Published;

/// <summary>
/// The whole path with real programs: <c>strata serve</c>, an image pushed by skopeo and published by
/// the server, mounted by <c>strata mount</c>, a program run from it under chroot, and the tree
/// compared with <c>umoci unpack</c> of the same image.
/// </summary>
public sealed partial class PublishedImageTests
{
    private const string Fqrn = "unpacked.strata.local";
    private const string Host = "registry.strata.test";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Published_image_mounts_runs_a_program_under_chroot_and_matches_umoci_unpack()
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/usr/bin/umoci") && File.Exists("/usr/bin/skopeo"),
            "needs root, umoci and skopeo (scripts/install-test-prerequisites.sh)");
        using var scratch = new TemporaryDirectory();
        var layout = Path.Combine(scratch.Path, "layout");
        var (built, _, buildError) = await ProcessRunner.RunAsync("bash", [Path.Combine(AppContext.BaseDirectory, "Published", "make-shell-image.sh"), layout, "1"], TimeSpan.FromMinutes(2));
        Assert.True(built == 0, $"make-shell-image.sh failed: {buildError}");

        var data = scratch.Sub("data");
        await using var server = StrataCli.StartIn(scratch.Path, "serve", "--data", data, "--listen", "127.0.0.1:0", "--Auth:Enabled", "false", "--Publish:RegistryHost", Host, "--Publish:Repository", Fqrn);
        var listening = ListeningLine().Match(await server.WaitForLineAsync(l => ListeningLine().IsMatch(l), StartTimeout)).Groups[1].Value;
        var registry = new Uri(listening).Authority;

        var (pushed, _, pushError) = await ProcessRunner.RunAsync("skopeo", ["copy", "--dest-tls-verify=false", $"oci:{layout}:1", $"docker://{registry}/test/shell:1"], TimeSpan.FromMinutes(2));
        Assert.True(pushed == 0, $"skopeo copy failed: {pushError}");
        await WaitForPublicationAsync(new Uri(listening), "test/shell:1", server);

        var mountpoint = scratch.Sub("mnt");
        try
        {
            await using var mount = StrataCli.Start("mount", "--key", Path.Combine(data, "keys", Fqrn + ".pub"), "--cache", scratch.Sub("cache"),
                $"{listening}/cvmfs/{Fqrn}", mountpoint);
            await mount.WaitForLineAsync(l => l.Contains("mounted on", StringComparison.Ordinal), StartTimeout);
            var image = Path.Combine(mountpoint, Host, "test", "shell:1");

            // A dynamically linked program: the loader and libc are read lazily through the mount.
            var (exit, output, error) = await ProcessRunner.RunAsync("chroot",
                [image, "/bin/sh", "-c", "read m < /etc/message; echo \"$m\"; echo \"args $# $1\"; [ ! -e /etc/removed ] && echo whiteout-applied; exit 7", "sh", "one"],
                TimeSpan.FromMinutes(1));
            Assert.True(exit == 7, $"chroot exited {exit}: {output} {error}");
            Assert.Equal("hello from a published image\nargs 1 one\nwhiteout-applied\n", output);

            // Listing, stat, readlink, xattrs and hard links as umoci unpack gives them.
            var bundle = Path.Combine(scratch.Path, "bundle");
            var (unpacked, _, unpackError) = await ProcessRunner.RunAsync("umoci", ["unpack", "--image", $"{layout}:1", bundle], TimeSpan.FromMinutes(2));
            Assert.True(unpacked == 0, $"umoci unpack failed: {unpackError}");
            var expected = Comparable(await DumpAsync(Path.Combine(bundle, "rootfs") + "/", scratch.Sub("dump-umoci")));
            var actual = Comparable(await DumpAsync(image + "/", scratch.Sub("dump-mount")));
            Mount.MountTreeTests.AssertLinesEqual(expected, actual);
            Assert.Contains(actual, l => l.Contains("\"path\":\"/etc/message.hardlink\"", StringComparison.Ordinal) && l.Contains("\"nlink\":2", StringComparison.Ordinal));
            Assert.Contains(actual, l => l.Contains("\"path\":\"/etc/message\"", StringComparison.Ordinal) && l.Contains("\"user.origin\"", StringComparison.Ordinal));
            Assert.Contains(actual, l => l.Contains("\"path\":\"/bin/setuid-dash\"", StringComparison.Ordinal) && l.Contains("\"mode\":\"4755\"", StringComparison.Ordinal));

            mount.Terminate();
            Assert.Equal(0, await mount.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            while (MountTable.TypesAt(mountpoint).Count > 0 && Strata.Client.Fuse.FuseMount.TryDetach(mountpoint))
            {
            }
        }
    }

    private static async Task WaitForPublicationAsync(Uri server, string image, ChildProcess process)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var response = await http.GetAsync($"/api/v1/publications/status?image={Uri.EscapeDataString(image)}");
            if (response.IsSuccessStatusCode)
            {
                var status = await response.Content.ReadFromJsonAsync<JsonElement>();
                var state = status.GetProperty("state").GetString();
                Assert.True(state != "failed", $"publication failed: {status}\n{process.Output()}");
                if (state == "succeeded")
                {
                    return;
                }
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{image} was not published within 150 s:\n{process.Output()}");
    }

    private static async Task<string[]> DumpAsync(string root, string scratch)
    {
        var tree = Path.Combine(scratch, "tree.jsonl");
        var (exit, _, error) = await ProcessRunner.RunAsync("python3", [TestVectors.DumpTreeScript, root, tree], TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"dump-tree.py failed ({exit}): {error}");
        return await File.ReadAllLinesAsync(tree);
    }

    /// <summary>
    /// The rows that must agree: everything below the root, without directory mtimes (umoci stamps
    /// directories it creates with the unpack time) and sizes (a file system's own block size) and without the client's virtual attributes.
    /// </summary>
    private static string[] Comparable(string[] lines) =>
        [.. lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("path").GetString() != "/")
            .Select(e => JsonSerializer.Serialize(e.EnumerateObject()
                .Where(p => p.Name != "cvmfs_magic_xattrs" && !(p.Name is "mtime" or "size" && e.GetProperty("type").GetString() == "dir"))
                .ToDictionary(p => p.Name, p => p.Value)))];

    [GeneratedRegex(@"Now listening on: (http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
