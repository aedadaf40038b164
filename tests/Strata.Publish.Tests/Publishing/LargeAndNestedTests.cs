using System.Security.Cryptography;
using Strata.Cvmfs.Catalogs;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Publishing;

public sealed class LargeAndNestedTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Large_file_is_chunked_and_reads_back_identically()
    {
        await using var publication = await Publication.CreateAsync();
        var big = new byte[20 * 1024 * 1024];
        new Random(42).NextBytes(big);
        await publication.Registry.PushImageAsync("library/big", "1", [new LayerBuilder().File("data/big.bin", big).TarGz()]);

        await publication.Publisher.PublishAsync("library/big", "1", Ct);

        await using var reader = await publication.OpenReaderAsync();
        var entry = await Publication.ResolveAsync(reader, $"/{Publication.Host}/library/big:1/data/big.bin");
        Assert.NotNull(entry);
        Assert.True(entry.Row.IsChunked);
        var chunks = await reader.GetChunksAsync(entry, Ct);
        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c => Assert.InRange(c.Size, 1, 16 * 1024 * 1024));
        await using var content = await reader.OpenFileAsync(entry, Ct);
        Assert.Equal(SHA256.HashData(big), await SHA256.HashDataAsync(content));
        var independent = publication.LastVerified!.Resolve($"/{Publication.Host}/library/big:1/data/big.bin");
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(big)), chunks.Count), (independent!.Sha256, independent.Chunks));
        await publication.AssertStatisticsExactAsync(reader);
    }

    [Fact]
    public async Task Tiny_catalog_limit_splits_layer_and_flat_trees_into_nested_catalogs()
    {
        await using var publication = await Publication.CreateAsync(o => o with { MaxEntriesPerCatalog = 8 });
        var layer = new LayerBuilder();
        for (var d = 0; d < 6; d++)
        {
            layer.Directory($"d{d}");
            for (var f = 0; f < 5; f++)
            {
                layer.File($"d{d}/f{f}", $"{d}-{f}");
            }

            layer.Directory($"d{d}/sub");
            layer.File($"d{d}/sub/leaf", "leaf");
        }

        var pushed = await publication.Registry.PushImageAsync("library/wide", "1", [layer.TarGz()]);

        await publication.Publisher.PublishAsync("library/wide", "1", Ct);

        await using var reader = await publication.OpenReaderAsync();
        var config = Strata.Oci.Manifests.ManifestParser.Parse(pushed.Content, pushed.MediaType).Config!.Digest;
        var flatRoot = $"/.flat/{config.Hex[..2]}/{config.Hex}";
        var flat = await Publication.ObserveAsync(reader, flatRoot);
        publication.AssertIndependentlySeen(flatRoot, flat);
        Assert.True(publication.LastVerified!.Catalogs > 10, "the independent verifier walked the nested catalogs");
        Assert.Equal(6 * 8, flat.Count);
        Assert.Equal("5-4", System.Text.Encoding.UTF8.GetString(await ImagePublisherTests.ReadAsync(reader, $"/{Publication.Host}/library/wide:1/d5/f4")));

        // Every catalog reachable holds at most 8 rows (no directory here has more than 8 children).
        var cache = new Strata.Publish.Trees.CatalogCache(new Strata.Cvmfs.Reading.FileSystemRepositorySource(publication.RepositoryDirectory), Path.Combine(publication.Registry.Directory, "check"));
        var flatMount = await reader.LookupAsync(flatRoot, Ct);
        Assert.True(flatMount!.Row.IsNestedRoot);
        var counts = new List<int>();
        await CountRowsAsync(cache, reader.Manifest.Manifest.RootCatalogHash, counts);
        Assert.All(counts, c => Assert.InRange(c, 1, 8));
        Assert.True(counts.Count > 10, $"only {counts.Count} catalogs");
        await publication.AssertStatisticsExactAsync(reader);
    }

    private static async Task CountRowsAsync(Strata.Publish.Trees.CatalogCache cache, Strata.Cvmfs.Objects.ContentHash hash, List<int> counts)
    {
        List<NestedCatalogReference> nested;
        using (var catalog = await cache.OpenAsync(hash, 0, Ct))
        {
            counts.Add(catalog.ListAll().Count);
            nested = [.. catalog.NestedCatalogs];
        }

        foreach (var child in nested)
        {
            await CountRowsAsync(cache, child.Hash, counts);
        }
    }
}
