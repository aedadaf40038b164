using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Chunking;

public sealed class Xor32ChunkDetectorTests
{
    private static readonly Lazy<byte[]> RandomFile = new(() =>
        [.. TestVectors.DecompressObject("data/5d/13562aef28626b2bf48bef81fc7c76d8d21d22P"), .. TestVectors.DecompressObject("data/f6/ef3049f3915eec4fbd22ea593ae225237c6ffdP")]);

    private static readonly Lazy<byte[]> CompressibleFile = new(() =>
        [.. TestVectors.DecompressObject("data/0e/bfb8a2682fd36ed107c9863c50e6e41ca6512aP"), .. TestVectors.DecompressObject("data/1a/6710ea041a36c840ed0e38dd0fb427452cb026P")]);

    [Fact]
    public void Random_file_is_cut_where_the_cvmfs_tools_cut_it()
    {
        Assert.Equal(6000017, RandomFile.Value.Length);

        Assert.Equal([5534236L, 465781L], ChunkSizes(RandomFile.Value, ChunkingParameters.Default, pieceSize: int.MaxValue));
    }

    [Fact]
    public void File_without_a_content_defined_cut_is_cut_at_the_16_MiB_maximum()
    {
        Assert.Equal(20000003, CompressibleFile.Value.Length);

        Assert.Equal([16777216L, 3222787L], ChunkSizes(CompressibleFile.Value, ChunkingParameters.Default, pieceSize: int.MaxValue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(65536)]
    [InlineData(1_000_003)]
    public void Cut_positions_do_not_depend_on_how_the_stream_is_split(int pieceSize)
    {
        Assert.Equal([5534236L, 465781L], ChunkSizes(RandomFile.Value, ChunkingParameters.Default, pieceSize));
    }

    [Fact]
    public void File_no_larger_than_the_minimum_is_never_cut()
    {
        var data = RandomFile.Value.AsSpan(0, ChunkingParameters.Default.MinSize).ToArray();

        Assert.Equal([(long)data.Length], ChunkSizes(data, ChunkingParameters.Default, int.MaxValue));
    }

    [Fact]
    public void Small_parameters_cut_random_data_into_chunks_between_min_and_max()
    {
        var parameters = new ChunkingParameters(1024, 4096, 8192);
        var sizes = ChunkSizes(RandomFile.Value.AsSpan(0, 1_000_000).ToArray(), parameters, 7777);

        Assert.Equal(1_000_000, sizes.Sum());
        Assert.All(sizes[..^1], size => Assert.InRange(size, parameters.MinSize, parameters.MaxSize));
        Assert.InRange(sizes.Count, 1_000_000 / 8192, 1_000_000 / 1024);
    }

    [Fact]
    public void Parameters_must_satisfy_min_lt_avg_lt_max_and_min_at_least_the_window()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkingParameters(16, 64, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkingParameters(64, 64, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkingParameters(64, 128, 128));
    }

    [Theory]
    [InlineData(4 * 1024 * 1024)]
    [InlineData(8 * 1024 * 1024)]
    [InlineData(4096)]
    [InlineData(33)]
    public void Fast_cut_test_agrees_with_cvmfs_definition(int averageSize)
    {
        var threshold = (int)(uint.MaxValue / (uint)averageSize);
        var (offset, range) = Xor32ChunkDetector.CutConstants(threshold);
        var random = new Random(averageSize);
        var values = new List<uint> { 0, 1, uint.MaxValue, uint.MaxValue - 1, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001 };
        foreach (var delta in new[] { 0, 1, 2, threshold - 2, threshold - 1, threshold, threshold + 1 })
        {
            values.Add(unchecked(0x7FFF_FFFFu + (uint)delta));
            values.Add(unchecked(0x7FFF_FFFFu - (uint)delta));
        }

        for (var i = 0; i < 100_000; i++)
        {
            values.Add((uint)random.NextInt64(0, 1L << 32));
        }

        Assert.All(values, x => Assert.Equal(Xor32ChunkDetector.IsCutPoint(x, threshold), Xor32ChunkDetector.IsCutPoint(x, offset, range)));
    }

    internal static List<long> ChunkSizes(byte[] data, ChunkingParameters parameters, int pieceSize)
    {
        var detector = new Xor32ChunkDetector(parameters);
        var sizes = new List<long>();
        long chunkStart = 0;
        for (var offset = 0; offset < data.Length;)
        {
            var piece = data.AsSpan(offset, Math.Min(pieceSize, data.Length - offset));
            var at = 0;
            while (at < piece.Length)
            {
                var boundary = detector.FindBoundary(piece[at..]);
                if (boundary < 0)
                {
                    break;
                }

                at += boundary;
                sizes.Add(offset + at - chunkStart);
                chunkStart = offset + at;
            }

            offset += piece.Length;
        }

        sizes.Add(data.Length - chunkStart);
        return sizes;
    }
}
