using System.Text;
using Strata.Publish.Publishing;
using Strata.Publish.Tests.Layers;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Publishing;

public sealed class HostileLayerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    public static TheoryData<string, byte[], string> Layers()
    {
        var traversal = TarFixtures.Concat(TarFixtures.Header("../../etc/passwd", (byte)'0', 0), new byte[1024]);
        var noise = new byte[100_000];
        new Random(7).NextBytes(noise);
        var compressed = LayerBuilder.Gzip(new LayerBuilder().File("a", noise).Tar());
        var truncated = compressed[..(compressed.Length / 2)];

        // 2 GiB of zeros would take a while to make; a ratio limit of 10 and a low threshold make the same point.
        var zeros = LayerBuilder.Gzip(new LayerBuilder().File("zeros", new byte[8 * 1024 * 1024]).Tar());
        return new TheoryData<string, byte[], string>
        {
            { "traversal", LayerBuilder.Gzip(traversal), "path traversal" },
            { "truncated", truncated, "layer" },
            { "unknown compression", Encoding.ASCII.GetBytes("BZh91AY&SY this is bzip2, not supported"), "unknown compression" },
            { "bomb", zeros, "decompression bomb" },
            { "hardlink outside the layer", new LayerBuilder().Hardlink("a", "etc/shadow").TarGz(), "not an earlier entry" },
        };
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task Hostile_layer_fails_the_publication_and_leaves_the_previous_revision(string name, byte[] layer, string reason)
    {
        await using var publication = await Publication.CreateAsync(o => o with { LayerLimits = o.LayerLimits with { MaxCompressionRatio = 10, RatioCheckAfterBytes = 1024 * 1024 } });
        await publication.Registry.PushImageAsync("library/good", "1", [new LayerBuilder().File("ok", "ok").TarGz()]);
        await publication.Publisher.PublishAsync("library/good", "1", Ct);
        var before = publication.ManifestBytes();
        await publication.Registry.PushImageAsync("library/bad", "1", [new LayerBuilder().File("fine", "fine").TarGz(), layer]);

        var error = await Assert.ThrowsAsync<PublishException>(() => publication.Publisher.PublishAsync("library/bad", "1", Ct));

        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("library/bad:1", error.Message);
        Assert.Equal(before, publication.ManifestBytes());
        await using var reader = await publication.OpenReaderAsync();
        Assert.Equal(1, reader.Revision);
        Assert.Null(await reader.LookupAsync($"/{Publication.Host}/library/bad:1", Ct));
        _ = name;
    }

    [Fact]
    public async Task Unknown_tag_is_a_clear_error()
    {
        await using var publication = await Publication.CreateAsync();

        var error = await Assert.ThrowsAsync<PublishException>(() => publication.Publisher.PublishAsync("library/none", "1", Ct));

        Assert.Contains("not a tag", error.Message);
    }
}
