using System.Text;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Tests.Support;
using Strata.Cvmfs.Whitelist;

namespace Strata.Cvmfs.Tests.Whitelist;

public sealed class RepositoryWhitelistTests
{
    private static byte[] RealWhitelist => TestVectors.ReadRepoFile(".cvmfswhitelist");

    [Fact]
    public void Real_whitelist_fields_parse_to_the_values_in_expected_whitelist_txt()
    {
        var whitelist = SignedWhitelist.Parse(RealWhitelist).Whitelist;

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 17, 26, TimeSpan.Zero), whitelist.IssuedAt);
        Assert.Equal(new DateTimeOffset(2036, 11, 25, 1, 17, 26, TimeSpan.Zero), whitelist.ExpiresAt);
        Assert.Equal("vectors.strata.test", whitelist.RepositoryName);
        var fingerprint = Assert.Single(whitelist.Fingerprints);
        Assert.Equal("18:A3:34:9B:7A:A7:05:19:65:C3:4C:55:E5:51:16:DB:0F:5C:BE:26", fingerprint.ToFingerprint());
    }

    [Fact]
    public void Signature_block_sits_at_the_byte_offsets_expected_whitelist_txt_gives()
    {
        var letter = SignedWhitelist.Parse(RealWhitelist).Letter;

        Assert.Equal(112, letter.Text.Length);
        Assert.Equal("721d98fe18607abf51279f3f32e4a7e2c2ecf525", letter.DeclaredHash);
        Assert.Equal(256, letter.Signature.Length);
    }

    [Fact]
    public void Master_key_signature_recovers_the_raw_hash_line_without_digest_info()
    {
        using var masterKey = TestVectors.MasterPublicKey();
        var letter = SignedWhitelist.Parse(RealWhitelist).Letter;

        var recovered = RawRsaSignature.Recover(masterKey, letter.Signature.Span);

        Assert.Equal("721d98fe18607abf51279f3f32e4a7e2c2ecf525", Encoding.ASCII.GetString(recovered!));
    }

    [Fact]
    public void Real_whitelist_verifies_before_its_expiry()
    {
        using var masterKey = TestVectors.MasterPublicKey();

        SignedWhitelist.Parse(RealWhitelist).Verify([masterKey], "vectors.strata.test", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Writing_the_parsed_fields_reproduces_the_text_part_byte_for_byte()
    {
        var parsed = SignedWhitelist.Parse(RealWhitelist);

        Assert.Equal(Encoding.ASCII.GetString(parsed.Letter.Text.Span), parsed.Whitelist.ToText());
    }

    [Fact]
    public void Re_signing_the_real_whitelist_with_the_master_key_reproduces_the_file_byte_for_byte()
    {
        var parsed = SignedWhitelist.Parse(RealWhitelist);
        using var masterKey = TestVectors.MasterPrivateKey();

        var written = SignedWhitelist.Create(parsed.Whitelist, masterKey);

        Assert.Equal(RealWhitelist, written);
    }

    [Fact]
    public void Listed_fingerprint_is_the_SHA1_of_the_certificate_DER()
    {
        using var certificate = RepositoryCertificate.Parse(File.ReadAllBytes(TestVectors.Key("vectors.strata.test.crt")));

        Assert.Equal("18a3349b7aa7051965c34c55e55116db0f5cbe26", certificate.Fingerprint().ToString());
        Assert.True(SignedWhitelist.Parse(RealWhitelist).Whitelist.Lists(certificate.Fingerprint()));
    }

    [Theory]
    [InlineData("18:A3:34:9B:7A:A7:05:19:65:C3:4C:55:E5:51:16:DB:0F:5C:BE:26 comment after a space", ContentHashAlgorithm.Sha1)]
    [InlineData("18:A3:34:9B:7A:A7:05:19:65:C3:4C:55:E5:51:16:DB:0F:5C:BE:26-shake128", ContentHashAlgorithm.Shake128)]
    public void Fingerprint_lines_may_carry_a_comment_or_an_algorithm_suffix(string line, ContentHashAlgorithm algorithm)
    {
        var text = "20261128011726\nE20361125011726\nNvectors.strata.test\n" + line + "\n";

        var whitelist = RepositoryWhitelist.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(algorithm, Assert.Single(whitelist.Fingerprints).Algorithm);
    }

    [Theory]
    [InlineData("2026112801172\nE20361125011726\nNx\n")]
    [InlineData("20261128011726\nX20361125011726\nNx\n")]
    [InlineData("20261128011726\nE20361125011726\nx\n")]
    [InlineData("20261128011726\nE20361125011726\nNx\nnot-a-fingerprint\n")]
    public void Malformed_whitelists_are_rejected(string text)
    {
        Assert.Throws<CvmfsFormatException>(() => RepositoryWhitelist.Parse(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Pkcs7_whitelists_are_refused_as_unsupported()
    {
        var whitelist = SignedWhitelist.Parse(RealWhitelist).Whitelist with { RequiresPkcs7 = true };
        using var masterKey = TestVectors.MasterPrivateKey();
        using var publicKey = TestVectors.MasterPublicKey();
        var signed = SignedWhitelist.Parse(SignedWhitelist.Create(whitelist, masterKey));

        var error = Assert.Throws<CvmfsVerificationException>(() => signed.Verify([publicKey], "vectors.strata.test", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(VerificationFailure.Unsupported, error.Failure);
    }
}
