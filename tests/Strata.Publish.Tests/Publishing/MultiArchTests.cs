using System.Text;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Publishing;

public sealed class MultiArchTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Index_publishes_every_platform_behind_a_variant_symlink_on_CVMFS_ARCH()
    {
        await using var publication = await Publication.CreateAsync();
        var amd = await publication.Registry.PushImageAsync("library/multi", null, [new LayerBuilder().File("arch", "amd64").TarGz()], "amd64");
        var arm = await publication.Registry.PushImageAsync("library/multi", null, [new LayerBuilder().File("arch", "arm64").TarGz()], "arm64", "v8", docker: true);
        var ppc = await publication.Registry.PushImageAsync("library/multi", null, [new LayerBuilder().File("arch", "ppc64le").TarGz()], "ppc64le");
        var index = await publication.Registry.PushIndexAsync("library/multi", "latest", [(amd, "amd64", null), (arm, "arm64", "v8"), (ppc, "ppc64le", null)], withAttestation: true);

        var result = await publication.Publisher.PublishAsync("library/multi", "latest", Ct);

        Assert.Equal(["linux-amd64", "linux-arm64-v8", "linux-ppc64le"], result.Platforms);
        Assert.Single(result.SkippedPlatforms);
        Assert.Equal(3, result.ImagesFlattened);
        var name = $"/{Publication.Host}/library/multi:latest";
        await using (var unset = await publication.OpenReaderAsync())
        {
            var link = await unset.LookupAsync(name, Ct);
            Assert.Equal(($"../../.platforms/{Publication.Host}/library/multi:latest/$(CVMFS_ARCH:-x86_64)"), link!.Row.Symlink);
            Assert.Equal("amd64", await ReadTextAsync(unset, name + "/arch"));
            Assert.Equal("arm64", await ReadTextAsync(unset, $"/.platforms/{Publication.Host}/library/multi:latest/linux-arm64-v8/arch"));
            Assert.Equal(index.Content, await ImagePublisherTests.ReadAsync(unset, $"/.metadata/{Publication.Host}/library/multi:latest/manifest.json"));
            Assert.Equal(arm.Content, await ImagePublisherTests.ReadAsync(unset, $"/.metadata/{Publication.Host}/library/multi:latest/manifests/linux-arm64-v8.json"));
            await publication.AssertStatisticsExactAsync(unset);
        }

        foreach (var (arch, expected) in new[] { ("x86_64", "amd64"), ("aarch64", "arm64"), ("ppc64le", "ppc64le") })
        {
            await using var reader = await publication.OpenReaderAsync(v => v == "CVMFS_ARCH" ? arch : null);
            Assert.Equal(expected, await ReadTextAsync(reader, name + "/arch"));
        }

        await using var missing = await publication.OpenReaderAsync(v => v == "CVMFS_ARCH" ? "s390x" : null);
        Assert.Null(await Publication.ResolveAsync(missing, name + "/arch"));
    }

    private static async Task<string> ReadTextAsync(Strata.Cvmfs.Reading.RepositoryReader reader, string path) =>
        Encoding.UTF8.GetString(await ImagePublisherTests.ReadAsync(reader, path));
}
