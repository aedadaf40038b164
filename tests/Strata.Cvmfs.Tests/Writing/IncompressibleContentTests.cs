using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Tests.Support;
using Strata.Cvmfs.Writing;

namespace Strata.Cvmfs.Tests.Writing;

public sealed class IncompressibleContentTests : IDisposable
{
    private readonly TemporaryDirectory _repo = new();

    [Fact]
    public async Task Random_content_is_stored_as_is_and_flagged_uncompressed_when_asked()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);
        var writer = new FileContentWriter(new FileSystemObjectSink(_repo.Path), new FileContentOptions { StoreIncompressibleUncompressed = true });

        var stored = await writer.WriteAsync(new MemoryStream(content), CancellationToken.None);

        Assert.Equal(ObjectCompression.None, stored.Compression);
        Assert.Equal(ObjectCompression.None, stored.Flags.Compression());
        var hex = stored.Hash!.Value.ToHex();
        var bytes = File.ReadAllBytes(Path.Combine(_repo.Path, "data", hex[..2], hex[2..]));
        Assert.Equal(content, bytes);
        Assert.Equal(hex, Convert.ToHexStringLower(SHA1.HashData(bytes)));
    }

    [Fact]
    public async Task Compressible_and_small_files_stay_zlib_and_the_option_is_off_by_default()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a line of text that compresses\n", 10_000)));
        var random = RandomNumberGenerator.GetBytes(300_000);
        var small = RandomNumberGenerator.GetBytes(FileContentWriter.IncompressibleSampleBytes - 1);
        var asking = new FileContentWriter(new FileSystemObjectSink(_repo.Path), new FileContentOptions { StoreIncompressibleUncompressed = true });
        var byDefault = new FileContentWriter(new FileSystemObjectSink(_repo.Path));

        Assert.Equal(ObjectCompression.Zlib, (await asking.WriteAsync(new MemoryStream(text), CancellationToken.None)).Compression);
        Assert.Equal(ObjectCompression.Zlib, (await asking.WriteAsync(new MemoryStream(small), CancellationToken.None)).Compression);
        Assert.Equal(ObjectCompression.Zlib, (await byDefault.WriteAsync(new MemoryStream(random), CancellationToken.None)).Compression);
    }

    public void Dispose() => _repo.Dispose();
}
