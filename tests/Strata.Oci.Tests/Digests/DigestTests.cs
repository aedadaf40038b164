using System.Text;
using Strata.Oci.Digests;

namespace Strata.Oci.Tests.Digests;

public sealed class DigestTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string AbcSha512 =
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    [Fact]
    public void Parse_sha256_keeps_algorithm_and_hex()
    {
        var digest = Digest.Parse("sha256:" + AbcSha256);

        Assert.Same(DigestAlgorithm.Sha256, digest.Algorithm);
        Assert.Equal(AbcSha256, digest.Hex);
        Assert.Equal("sha256:" + AbcSha256, digest.ToString());
    }

    [Fact]
    public void Parse_sha512_keeps_algorithm_and_hex()
    {
        var digest = Digest.Parse("sha512:" + AbcSha512);

        Assert.Same(DigestAlgorithm.Sha512, digest.Algorithm);
        Assert.Equal(AbcSha512, digest.Hex);
        Assert.Equal("sha512:" + AbcSha512, digest.ToString());
    }

    public static TheoryData<string?> InvalidDigests => new()
    {
        null,
        "",
        "sha256",
        "sha256:",
        ":" + AbcSha256,
        AbcSha256,
        "sha256:" + AbcSha256.ToUpperInvariant(),
        "sha256:" + AbcSha256[..63] + "A",
        "sha256:" + AbcSha256[..63],
        "sha256:" + AbcSha256 + "0",
        "sha256:" + AbcSha256[..63] + "g",
        "sha256:" + AbcSha256[..63] + " ",
        "sha256:" + AbcSha256 + "\n",
        " sha256:" + AbcSha256,
        "SHA256:" + AbcSha256,
        "sha384:" + AbcSha512[..96],
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "sha512:" + AbcSha256,
        "sha256:" + AbcSha512,
        "sha256:sha256:" + AbcSha256[..57],
        "sha256:" + AbcSha256[..62] + "\u0660\u0661",
    };

    [Theory]
    [MemberData(nameof(InvalidDigests))]
    public void TryParse_rejects_malformed_digests(string? value)
    {
        Assert.False(Digest.TryParse(value, out var digest));
        Assert.Equal(default, digest);
    }

    [Theory]
    [MemberData(nameof(InvalidDigests))]
    public void Parse_of_a_malformed_digest_throws_FormatException(string? value)
    {
        Assert.Throws<FormatException>(() => Digest.Parse(value!));
    }

    [Fact]
    public void Compute_sha256_matches_the_known_vectors()
    {
        Assert.Equal("sha256:" + EmptySha256, Digest.Compute(DigestAlgorithm.Sha256, []).ToString());
        Assert.Equal("sha256:" + AbcSha256, Digest.Compute(DigestAlgorithm.Sha256, "abc"u8).ToString());
    }

    [Fact]
    public void Compute_sha512_matches_the_known_vector()
    {
        Assert.Equal("sha512:" + AbcSha512, Digest.Compute(DigestAlgorithm.Sha512, "abc"u8).ToString());
    }

    [Fact]
    public void Computed_digest_parses_back_to_an_equal_value()
    {
        var computed = Digest.Compute(DigestAlgorithm.Sha512, Encoding.UTF8.GetBytes("layer"));

        Assert.Equal(computed, Digest.Parse(computed.ToString()));
        Assert.Equal(computed.GetHashCode(), Digest.Parse(computed.ToString()).GetHashCode());
    }

    [Fact]
    public void FromHash_writes_lowercase_hex()
    {
        var digest = Digest.FromHash(DigestAlgorithm.Sha256, Convert.FromHexString(AbcSha256.ToUpperInvariant()));

        Assert.Equal(AbcSha256, digest.Hex);
    }

    [Fact]
    public void Different_content_or_algorithm_gives_different_digests()
    {
        var abc = Digest.Compute(DigestAlgorithm.Sha256, "abc"u8);

        Assert.NotEqual(abc, Digest.Compute(DigestAlgorithm.Sha256, "abd"u8));
        Assert.NotEqual(abc, Digest.Compute(DigestAlgorithm.Sha512, "abc"u8));
    }

    [Fact]
    public void Default_digest_prints_as_empty()
    {
        Assert.Equal("", default(Digest).ToString());
    }

    [Theory]
    [InlineData("sha256", 64)]
    [InlineData("sha512", 128)]
    public void Algorithm_lookup_knows_the_registered_algorithms(string name, int hexLength)
    {
        Assert.True(DigestAlgorithm.TryGet(name, out var algorithm));
        Assert.Equal(name, algorithm.Name);
        Assert.Equal(name, algorithm.ToString());
        Assert.Equal(hexLength, algorithm.HexLength);
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("sha384")]
    [InlineData("md5")]
    [InlineData("")]
    public void Algorithm_lookup_refuses_anything_else(string name)
    {
        Assert.False(DigestAlgorithm.TryGet(name, out _));
    }
}
