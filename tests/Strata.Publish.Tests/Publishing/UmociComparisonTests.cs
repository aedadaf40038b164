using System.Diagnostics;
using System.Text.Json;
using Strata.Metadata.Contracts;
using Strata.Oci.Manifests;
using Strata.Publish.Tests.Support;
using Strata.Storage;

namespace Strata.Publish.Tests.Publishing;

/// <summary>
/// Ground truth: the same image unpacked by <c>umoci unpack</c> (as root) must give the same tree as
/// the flat image the publisher built by merging catalogs. Differences that are CernVM-FS's by
/// design are applied to umoci's side first: hard links count only within a directory, and the
/// mtime of directories is not compared (umoci stamps implicit parents with the unpack time).
/// </summary>
public sealed class UmociComparisonTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Flat_image_matches_umoci_unpack_with_whiteouts_opaque_dirs_replacements_and_links()
    {
        // No silent skip: scripts/install-test-prerequisites.sh installs umoci, and the suite runs as root.
        Assert.True(CanRun(), "needs /usr/bin/umoci, /usr/bin/python3 and root (run scripts/install-test-prerequisites.sh as root)");

        await using var publication = await Publication.CreateAsync();
        var xattr = new Dictionary<string, string> { ["user.origin"] = "base" };
        var layer1 = new LayerBuilder()
            .Directory("etc").File("etc/passwd", "root:x:0:0\n").File("etc/remove-me", "bye")
            .Directory("usr").Directory("usr/bin").File("usr/bin/busybox", "BB", 0b111_101_101)
            .Symlink("usr/bin/sh", "busybox").Symlink("bin", "usr/bin")
            .Hardlink("usr/bin/ls", "usr/bin/busybox")
            .Directory("usr/lib").Hardlink("usr/lib/busybox-copy", "usr/bin/busybox")
            .Directory("usr/lib/gone-dir").File("usr/lib/gone-dir/a", "a").Directory("usr/lib/gone-dir/sub").File("usr/lib/gone-dir/sub/b", "b")
            .File("usr/bin/su", "su", 0b100_111_101_101)
            .Directory("home", 0b111_101_101).Directory("home/user", 0b111_000_000, 1000, 1000).File("home/user/.profile", "p", 0b110_000_000, 1000, 1000)
            .Directory("opt").Directory("opt/app").File("opt/app/old1", "1").File("opt/app/old2", "2")
            .File("replace-me", "old", 0b110_100_100)
            .Directory("dir-to-file").File("dir-to-file/child", "c")
            .File("file-to-dir", "f")
            .Directory("d", 0b111_000_000, 5, 6).File("d/x", "x")
            .Directory("foo").File("foo/lower", "l").File("bar", "lower bar")
            .Directory("dev").CharacterDevice("dev/null", 1, 3).Fifo("run-fifo")
            .File("xattr-file", "x", xattrs: xattr)
            .TarGz();
        var layer2 = new LayerBuilder()
            .Whiteout("etc/remove-me")
            .Opaque("opt/app").File("opt/app/new", "n")
            .File("replace-me", "new content", 0b111_100_000, 7, 8)
            .File("dir-to-file", "now a file")
            .Directory("file-to-dir").File("file-to-dir/child", "now a dir")
            .Whiteout("usr/lib/gone-dir")
            .File("d/y", "y")
            .File("new/implicit/leaf", "leaf")
            .File("pair/one", "pair").Hardlink("pair/two", "pair/one")
            .TarGz();
        var layer3 = new LayerBuilder()
            .Whiteout("foo").Directory("foo").File("foo/upper", "u")
            .Whiteout("bar").File("bar", "upper bar")
            .File("usr/bin/busybox", "BB2", 0b111_101_101)
            .TarGz();
        var pushed = await publication.Registry.PushImageAsync("library/compare", "1", [layer1, layer2, layer3]);

        await publication.Publisher.PublishAsync("library/compare", "1", Ct);

        var bundle = Path.Combine(publication.Registry.Directory, "bundle");
        await UnpackWithUmociAsync(publication.Registry, pushed, Path.Combine(publication.Registry.Directory, "layout"), bundle);
        var expected = Expected(await DumpAsync(Path.Combine(bundle, "rootfs")));
        await using var reader = await publication.OpenReaderAsync();
        var config = ManifestParser.Parse(pushed.Content, pushed.MediaType).Config!.Digest;
        var actual = await Publication.ObserveAsync(reader, $"/.flat/{config.Hex[..2]}/{config.Hex}");

        publication.AssertIndependentlySeen($"/.flat/{config.Hex[..2]}/{config.Hex}", actual);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, entry) in expected)
        {
            Assert.Equal(entry, actual[path]);
        }

        // Spot checks of the interesting cases (the full comparison above is the proof).
        Assert.DoesNotContain("/etc/remove-me", actual.Keys);
        Assert.Equal(["/opt/app", "/opt/app/new"], actual.Keys.Where(k => k.StartsWith("/opt/app", StringComparison.Ordinal)));
        Assert.Equal(["/foo", "/foo/upper"], actual.Keys.Where(k => k.StartsWith("/foo", StringComparison.Ordinal)));
        Assert.Equal(2u, actual["/pair/one"].LinkCount);
        await publication.AssertStatisticsExactAsync(reader);
    }

    private static bool CanRun() => File.Exists("/usr/bin/umoci") && File.Exists("/usr/bin/python3") && Environment.UserName == "root";

    /// <summary>umoci's tree as CernVM-FS can show it: link counts per directory (hardlink groups), no mtimes.</summary>
    private static SortedDictionary<string, ObservedEntry> Expected(List<JsonElement> rows)
    {
        var perDirectory = rows
            .Where(r => r.GetProperty("type").GetString() != "dir")
            .GroupBy(r => (Parent(r.GetProperty("path").GetString()!), r.GetProperty("ino").GetInt64()))
            .ToDictionary(g => g.Key, g => (uint)g.Count());
        var result = new SortedDictionary<string, ObservedEntry>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var path = row.GetProperty("path").GetString()!;
            var type = row.GetProperty("type").GetString()!;
            var links = type == "dir"
                ? (uint)row.GetProperty("nlink").GetInt64()
                : perDirectory[(Parent(path), row.GetProperty("ino").GetInt64())];
            result[path] = new ObservedEntry(
                path,
                type,
                (uint)row.GetProperty("perm").GetInt32(),
                row.GetProperty("uid").GetInt64(),
                row.GetProperty("gid").GetInt64(),
                row.GetProperty("size").GetInt64(),
                row.GetProperty("target").GetString(),
                row.GetProperty("sha256").GetString(),
                links,
                row.GetProperty("xattrs").GetString()!,
                row.GetProperty("rdev").GetInt64());
        }

        return result;
    }

    private static string Parent(string path) => path[..path.LastIndexOf('/')];

    /// <summary>Exports the pushed image from the registry's own store as an OCI layout and unpacks it with umoci.</summary>
    private static async Task UnpackWithUmociAsync(TestRegistry registry, ManifestRecord manifest, string layout, string bundle)
    {
        var document = ManifestParser.Parse(manifest.Content, manifest.MediaType);
        Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
        foreach (var blob in document.Blobs)
        {
            await using var source = await registry.Driver.OpenReadAsync(BlobPaths.Blob(blob.Digest), 0, Ct);
            await using var target = File.Create(Path.Combine(layout, "blobs", "sha256", blob.Digest.Hex));
            await source.CopyToAsync(target);
        }

        await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", manifest.Digest.Hex), manifest.Content);
        await File.WriteAllTextAsync(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        await File.WriteAllTextAsync(Path.Combine(layout, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[] { new Dictionary<string, object> { ["mediaType"] = manifest.MediaType, ["digest"] = manifest.Digest.ToString(), ["size"] = manifest.Size, ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "test" } } },
        }));
        await RunAsync("umoci", "unpack", "--image", layout + ":test", bundle);
    }

    private static async Task<List<JsonElement>> DumpAsync(string rootfs)
    {
        var output = await RunAsync("python3", Path.Combine(AppContext.BaseDirectory, "Support", "dump-tree.py"), rootfs);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await error}");
        return await output;
    }
}
