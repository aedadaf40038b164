using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Publish.Tests.Support;

namespace Strata.Publish.Tests.Publishing;

public sealed class CompressionSettingsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Level_1_and_uncompressed_incompressible_files_read_back_through_both_readers()
    {
        await using var publication = await Publication.CreateAsync(o => o with { CompressionLevel = 1, StoreIncompressibleUncompressed = true });
        var random = new byte[9 * 1024 * 1024];
        new Random(3).NextBytes(random);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i % 313}\n")));
        await publication.Registry.PushImageAsync("library/mixed", "1", [new LayerBuilder().File("model.bin", random).File("notes.txt", text).TarGz()]);

        await publication.Publisher.PublishAsync("library/mixed", "1", Ct);

        await using var reader = await publication.OpenReaderAsync();
        var model = await Publication.ResolveAsync(reader, $"/{Publication.Host}/library/mixed:1/model.bin");
        var notes = await Publication.ResolveAsync(reader, $"/{Publication.Host}/library/mixed:1/notes.txt");
        Assert.Equal(ObjectCompression.None, model!.Row.Flags.Compression());
        Assert.Equal(ObjectCompression.Zlib, notes!.Row.Flags.Compression());
        Assert.Equal(random, await ImagePublisherTests.ReadAsync(reader, $"/{Publication.Host}/library/mixed:1/model.bin"));
        Assert.Equal(text, await ImagePublisherTests.ReadAsync(reader, $"/{Publication.Host}/library/mixed:1/notes.txt"));
        var independent = publication.LastVerified!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(random)), independent.Resolve($"/{Publication.Host}/library/mixed:1/model.bin")!.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(text)), independent.Resolve($"/{Publication.Host}/library/mixed:1/notes.txt")!.Sha256);
    }
}
