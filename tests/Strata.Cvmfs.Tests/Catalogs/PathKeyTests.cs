using Strata.Cvmfs.Catalogs;

namespace Strata.Cvmfs.Tests.Catalogs;

public sealed class PathKeyTests
{
    // The four worked examples of expected/catalog-rows.txt.
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e", 338333539836370388L, 9098107892288553193L)]
    [InlineData("/README.txt", "166119cd865cbb0a5ad4f859c2eb3f25", 773313495060537622L, 2684123122901767258L)]
    [InlineData("/nested/big/compressible-20M.txt", "1782d2daae3d8527679d17fb24d24920", 2847750160586539543L, 2326621738786856295L)]
    [InlineData("/names/ünïcødé-名前-файл.txt", "9f787416e4abfbc2d47f52e6ad719056", -4396731615079532385L, 6237610475615584212L)]
    public void Path_key_is_md5_of_the_utf8_path_split_into_two_little_endian_signed_longs(string path, string md5, long part1, long part2)
    {
        var key = PathKey.ForPath(path);

        Assert.Equal(new PathKey(part1, part2), key);
        Assert.Equal(md5, key.ToHex());
    }

    [Fact]
    public void Slash_and_empty_string_both_mean_the_root()
    {
        Assert.Equal(PathKey.Root, PathKey.ForPath("/"));
        Assert.Equal(PathKey.Root, PathKey.ForPath(string.Empty));
    }
}
