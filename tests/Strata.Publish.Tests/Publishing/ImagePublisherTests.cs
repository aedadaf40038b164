using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Publish.Publishing;
using Strata.Publish.Repository;
using Strata.Publish.Tests.Support;
using Strata.Publish.Trees;

namespace Strata.Publish.Tests.Publishing;

public sealed class ImagePublisherTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Published_image_reads_back_through_the_verified_chain_with_every_kind_of_entry()
    {
        await using var publication = await Publication.CreateAsync();
        var layer = new LayerBuilder()
            .Directory("etc")
            .File("etc/hostname", "box\n")
            .Directory("bin", 0b111_101_101)
            .File("bin/tool", "#!/bin/sh\necho hi\n", 0b100_111_101_101, uid: 0, gid: 0)
            .File("bin/owned", "x", 0b110_100_000, uid: 1000, gid: 100)
            .Hardlink("bin/tool-alias", "bin/tool")
            .Directory("lib")
            .Hardlink("lib/tool-elsewhere", "bin/tool")
            .Symlink("bin/sh", "/bin/busybox")
            .Symlink("lib/rel", "../etc/hostname")
            .CharacterDevice("dev/null", 1, 3)
            .Fifo("run/pipe")
            .File("etc/caps", "cap", xattrs: new Dictionary<string, string> { ["user.note"] = "hello", ["security.capability"] = "\u0001\u0002" })
            .File("empty", string.Empty)
            .TarGz();
        var pushed = await publication.Registry.PushImageAsync("library/box", "1.0", [layer]);

        var result = await publication.Publisher.PublishAsync("library/box", "1.0", Ct);

        Assert.Equal(1, result.Revision);
        Assert.Equal((1, 0, 1, 0), (result.LayersIngested, result.LayersReused, result.ImagesFlattened, result.ImagesReused));
        Assert.Equal(["linux-amd64"], result.Platforms);
        await using var reader = await publication.OpenReaderAsync();
        var link = await reader.LookupAsync($"/{Publication.Host}/library/box:1.0", Ct);
        Assert.NotNull(link);
        var config = Strata.Oci.Manifests.ManifestParser.Parse(pushed.Content, pushed.MediaType).Config!.Digest;
        Assert.Equal($"../../.flat/{config.Hex[..2]}/{config.Hex}", link.SymlinkTarget);

        var flat = await Publication.ObserveAsync(reader, $"/.flat/{config.Hex[..2]}/{config.Hex}");
        publication.AssertIndependentlySeen($"/.flat/{config.Hex[..2]}/{config.Hex}", flat);
        Assert.Equal(publication.LastVerified!.Resolve($"/{Publication.Host}/library/box:1.0/bin/tool")!.Sha256, flat["/bin/tool"].Sha256);
        Assert.Equal("box\n", Encoding.UTF8.GetString(await ReadAsync(reader, $"/{Publication.Host}/library/box:1.0/etc/hostname")));
        var tool = flat["/bin/tool"];
        Assert.Equal(("file", 0b100_111_101_101u, 2u), (tool.Type, tool.Permissions, tool.LinkCount));
        Assert.Equal(tool.Sha256, flat["/bin/tool-alias"].Sha256);
        Assert.Equal(2u, flat["/bin/tool-alias"].LinkCount);
        Assert.Equal((tool.Sha256, 1u), (flat["/lib/tool-elsewhere"].Sha256, flat["/lib/tool-elsewhere"].LinkCount));
        Assert.Equal((1000L, 100L, 0b110_100_000u), (flat["/bin/owned"].Uid, flat["/bin/owned"].Gid, flat["/bin/owned"].Permissions));
        Assert.Equal(("symlink", "/bin/busybox", 12L), (flat["/bin/sh"].Type, flat["/bin/sh"].Target, flat["/bin/sh"].Size));
        Assert.Equal("../etc/hostname", flat["/lib/rel"].Target);
        Assert.Equal(("char", UnixMode.MakeDevice(1, 3)), (flat["/dev/null"].Type, flat["/dev/null"].Rdev));
        Assert.Equal("fifo", flat["/run/pipe"].Type);
        Assert.Equal("security.capability=0102;user.note=68656c6c6f", flat["/etc/caps"].Xattrs);
        Assert.Equal((0L, Convert.ToHexStringLower(SHA256.HashData([]))), (flat["/empty"].Size, flat["/empty"].Sha256));

        // Implicit parents: 0755 root-owned.
        Assert.Equal(("dir", 0b111_101_101u, 0L), (flat["/dev"].Type, flat["/dev"].Permissions, flat["/dev"].Uid));

        var layerDigest = Strata.Oci.Manifests.ManifestParser.Parse(pushed.Content, pushed.MediaType).Layers[0].Digest;
        var layerTree = await Publication.ObserveAsync(reader, $"/.layers/{layerDigest.Hex[..2]}/{layerDigest.Hex}/layerfs");
        Assert.Equal(flat.Keys, layerTree.Keys);
        Assert.Equal(pushed.Content, await ReadAsync(reader, $"/.metadata/{Publication.Host}/library/box:1.0/manifest.json"));
        var platformLink = await Publication.ResolveAsync(reader, $"/.platforms/{Publication.Host}/library/box:1.0/x86_64");
        Assert.Equal($"/.flat/{config.Hex[..2]}/{config.Hex}", platformLink!.Path);
        await publication.AssertStatisticsExactAsync(reader);
    }

    [Fact]
    public async Task Whiteouts_and_opaque_directories_apply_to_lower_layers_only()
    {
        await using var publication = await Publication.CreateAsync();
        var lower = new LayerBuilder()
            .Directory("a").File("a/keep", "k").File("a/gone", "g")
            .Directory("b").File("b/old", "o").Directory("b/sub").File("b/sub/deep", "d")
            .File("c", "file c")
            .Directory("d", 0b111_000_000, uid: 5).File("d/x", "x")
            .TarGz();
        var upper = new LayerBuilder()
            .Whiteout("a/gone")
            .Opaque("b").File("b/new", "n")
            .Whiteout("c").Directory("c").File("c/inside", "i")
            .File("d/y", "y")
            .Whiteout("never-existed")
            .TarGz();
        var pushed = await publication.Registry.PushImageAsync("team/app", "v1", [lower, upper]);

        await publication.Publisher.PublishAsync("team/app", "v1", Ct);

        await using var reader = await publication.OpenReaderAsync();
        var config = Strata.Oci.Manifests.ManifestParser.Parse(pushed.Content, pushed.MediaType).Config!.Digest;
        var flat = await Publication.ObserveAsync(reader, $"/.flat/{config.Hex[..2]}/{config.Hex}");
        Assert.Equal(["/a", "/a/keep", "/b", "/b/new", "/c", "/c/inside", "/d", "/d/x", "/d/y"], flat.Keys);

        // d is implicit in the upper layer: the lower metadata stays (as umoci does).
        Assert.Equal((0b111_000_000u, 5L), (flat["/d"].Permissions, flat["/d"].Uid));

        // The upper layer in overlayfs form: whiteouts are 0/0 character devices, opaque dirs carry the xattr.
        var upperDigest = Strata.Oci.Manifests.ManifestParser.Parse(pushed.Content, pushed.MediaType).Layers[1].Digest;
        var layer = await Publication.ObserveAsync(reader, $"/.layers/{upperDigest.Hex[..2]}/{upperDigest.Hex}/layerfs");
        Assert.Equal(("char", 0L), (layer["/a/gone"].Type, layer["/a/gone"].Rdev));
        Assert.Equal("trusted.overlay.opaque=79", layer["/b"].Xattrs);
        Assert.Equal("trusted.overlay.opaque=79", layer["/c"].Xattrs);
        Assert.Equal("char", layer["/never-existed"].Type);
        Assert.DoesNotContain("/b/.wh..wh..opq", layer.Keys);
        Assert.Equal(string.Empty, flat["/b"].Xattrs);
        await publication.AssertStatisticsExactAsync(reader);
    }

    [Fact]
    public async Task Retag_of_a_published_image_does_no_layer_work_and_repoints_the_name()
    {
        await using var publication = await Publication.CreateAsync();
        var first = await publication.Registry.PushImageAsync("library/app", "1", [new LayerBuilder().File("v", "1").TarGz()]);
        var second = await publication.Registry.PushImageAsync("library/app", "2", [new LayerBuilder().File("v", "2").TarGz()]);
        await publication.Publisher.PublishAsync("library/app", "1", Ct);
        await publication.Publisher.PublishAsync("library/app", "2", Ct);

        // "latest" moves from image 1 to image 2: both already published.
        await publication.Registry.PutManifestAsync("library/app", "latest", first.Content, first.MediaType, [], []);
        var toFirst = await publication.Publisher.PublishAsync("library/app", "latest", Ct);
        await publication.Registry.PutManifestAsync("library/app", "latest", second.Content, second.MediaType, [], []);
        var toSecond = await publication.Publisher.PublishAsync("library/app", "latest", Ct);

        Assert.Equal((0, 0, 0, 1), (toFirst.LayersIngested, toFirst.ImagesFlattened, toFirst.LayersReused, toFirst.ImagesReused));
        Assert.Equal((0, 0), (toSecond.LayersIngested, toSecond.ImagesFlattened));
        Assert.Equal(4, toSecond.Revision);
        await using var reader = await publication.OpenReaderAsync();
        Assert.Equal("2", Encoding.UTF8.GetString(await ReadAsync(reader, $"/{Publication.Host}/library/app:latest/v")));
        Assert.Equal("1", Encoding.UTF8.GetString(await ReadAsync(reader, $"/{Publication.Host}/library/app:1/v")));
        Assert.Equal(second.Content, await ReadAsync(reader, $"/.metadata/{Publication.Host}/library/app:latest/manifest.json"));
        await publication.AssertStatisticsExactAsync(reader);

        // The history database keeps the previous revision mountable (CVMFS_REPOSITORY_TAG=trunk-previous).
        await using var previous = await publication.OpenReaderAsync(tag: "trunk-previous");
        Assert.Equal(3, previous.Revision);
        Assert.Equal("1", Encoding.UTF8.GetString(await ReadAsync(previous, $"/{Publication.Host}/library/app:latest/v")));
    }

    [Fact]
    public async Task New_image_on_known_layers_reuses_them()
    {
        await using var publication = await Publication.CreateAsync();
        var baseLayer = new LayerBuilder().Directory("usr").File("usr/base", "base").TarGz();
        await publication.Registry.PushImageAsync("library/base", "1", [baseLayer]);
        await publication.Publisher.PublishAsync("library/base", "1", Ct);
        await publication.Registry.PushImageAsync("library/derived", "1", [baseLayer], configSeed: "derived");

        var result = await publication.Publisher.PublishAsync("library/derived", "1", Ct);

        Assert.Equal((0, 1, 1), (result.LayersIngested, result.LayersReused, result.ImagesFlattened));
        await using var reader = await publication.OpenReaderAsync();
        Assert.Equal("base", Encoding.UTF8.GetString(await ReadAsync(reader, $"/{Publication.Host}/library/derived:1/usr/base")));
    }

    [Fact]
    public async Task Unpublishing_a_tag_removes_its_name_metadata_and_platform_links()
    {
        await using var publication = await Publication.CreateAsync();
        await publication.Registry.PushImageAsync("org/team/app", "1", [new LayerBuilder().File("f", "x").TarGz()]);
        await publication.Registry.PushImageAsync("org/team/app", "2", [new LayerBuilder().File("f", "y").TarGz()]);
        await publication.Publisher.PublishAsync("org/team/app", "1", Ct);
        await publication.Publisher.PublishAsync("org/team/app", "2", Ct);

        var result = await publication.Publisher.UnpublishAsync("org/team/app", "1", Ct);

        Assert.Equal(3, result.Revision);
        await using var reader = await publication.OpenReaderAsync();
        Assert.Null(await reader.LookupAsync($"/{Publication.Host}/org/team/app:1", Ct));
        Assert.Null(await reader.LookupAsync($"/.metadata/{Publication.Host}/org/team/app:1", Ct));
        Assert.Null(await reader.LookupAsync($"/.platforms/{Publication.Host}/org/team/app:1", Ct));
        var other = await reader.LookupAsync($"/{Publication.Host}/org/team/app:2", Ct);
        Assert.StartsWith("../../../.flat/", other!.SymlinkTarget);
        Assert.Equal("y", Encoding.UTF8.GetString(await ReadAsync(reader, $"/{Publication.Host}/org/team/app:2/f")));

        await publication.Publisher.UnpublishAsync("org/team/app", "2", Ct);
        await using var emptied = await publication.OpenReaderAsync();
        Assert.Null(await emptied.LookupAsync($"/{Publication.Host}", Ct));
        await publication.AssertStatisticsExactAsync(emptied);
    }

    internal static async Task<byte[]> ReadAsync(Strata.Cvmfs.Reading.RepositoryReader reader, string path)
    {
        var entry = await Publication.ResolveAsync(reader, path) ?? throw new FileNotFoundException(path);
        if (entry.Kind != EntryKind.File)
        {
            // A path through a symlinked directory: resolve the parent, then the name.
            throw new InvalidOperationException($"{path} is a {entry.Kind}");
        }

        await using var content = await reader.OpenFileAsync(entry, CancellationToken.None);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
