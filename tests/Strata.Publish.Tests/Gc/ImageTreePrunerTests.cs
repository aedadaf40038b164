using Strata.Oci.Manifests;
using Strata.Publish.Gc;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Gc;

/// <summary>Flat images and layers no published tag reaches leave the tree in a new revision; what tags reach stays whole.</summary>
public sealed class ImageTreePrunerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Unpublished_images_and_their_own_layers_leave_the_tree_and_shared_layers_stay()
    {
        await using var publication = await Publication.CreateAsync();
        var shared = new LayerBuilder().File("base", "shared base").TarGz();
        var kept = await publication.Registry.PushImageAsync("team/app", "1", [shared, new LayerBuilder().File("app", "one").TarGz()], configSeed: "one");
        var gone = await publication.Registry.PushImageAsync("team/app", "2", [shared, new LayerBuilder().File("app", "two").TarGz()], configSeed: "two");
        await publication.Publisher.PublishAsync("team/app", "1", Ct);
        await publication.Publisher.PublishAsync("team/app", "2", Ct);
        await publication.Publisher.UnpublishAsync("team/app", "2", Ct);
        var pruner = new ImageTreePruner(publication.Registry.Driver, publication.Publisher.Repository, publication.Keys.MasterPublicKey);

        var (flats, layers) = await pruner.FindUnreachableAsync(Ct);

        var goneDocument = ManifestParser.Parse(gone.Content, gone.MediaType);
        var keptDocument = ManifestParser.Parse(kept.Content, kept.MediaType);
        Assert.Equal([goneDocument.Config!.Digest], flats);
        Assert.Equal([goneDocument.Layers[1].Digest], layers);

        var revision = await pruner.PruneAsync(flats, layers, Ct);

        Assert.Equal(4, revision?.Revision);
        await using var reader = await publication.OpenReaderAsync();
        var config = goneDocument.Config.Digest;
        Assert.Null(await reader.LookupAsync($"/.flat/{config.Hex[..2]}/{config.Hex}", Ct));
        var goneLayer = goneDocument.Layers[1].Digest;
        Assert.Null(await reader.LookupAsync($"/.layers/{goneLayer.Hex[..2]}/{goneLayer.Hex}", Ct));
        var sharedLayer = keptDocument.Layers[0].Digest;
        Assert.NotNull(await reader.LookupAsync($"/.layers/{sharedLayer.Hex[..2]}/{sharedLayer.Hex}/layerfs/base", Ct));
        var keptConfig = keptDocument.Config!.Digest;
        var image = await Publication.ObserveAsync(reader, $"/.flat/{keptConfig.Hex[..2]}/{keptConfig.Hex}");
        Assert.Contains("/app", image.Keys);
        await publication.AssertStatisticsExactAsync(reader);

        // Nothing left to prune: no new revision.
        var again = await pruner.FindUnreachableAsync(Ct);
        Assert.Empty(again.FlatImages);
        Assert.Empty(again.Layers);
        Assert.Null(await pruner.PruneAsync(again.FlatImages, again.Layers, Ct));
    }
}
