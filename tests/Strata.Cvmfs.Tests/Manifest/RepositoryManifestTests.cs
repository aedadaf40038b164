using System.Text;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Tests.Support;

namespace Strata.Cvmfs.Tests.Manifest;

public sealed class RepositoryManifestTests
{
    private static byte[] RealManifest => TestVectors.ReadRepoFile(".cvmfspublished");

    [Fact]
    public void Real_manifest_fields_parse_to_the_values_in_expected_manifest_txt()
    {
        var manifest = SignedManifest.Parse(RealManifest).Manifest;

        Assert.Equal("d6d19aeabf6e6114b624c3ee335db87cfc7fed93", manifest.RootCatalogHash.ToString());
        Assert.Equal(65536, manifest.RootCatalogSize);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", manifest.RootPathHash);
        Assert.Equal(240, manifest.TtlSeconds);
        Assert.Equal(2, manifest.Revision);
        Assert.False(manifest.GarbageCollectable);
        Assert.False(manifest.HasAlternativePaths);
        Assert.Equal("vectors.strata.test", manifest.RepositoryName);
        Assert.Equal("66ac3168a1a826b7260d71db9850c593c7d6bd88", manifest.CertificateHash.ToString());
        Assert.Equal("c35bcf379c8de80d9826b545e47f4f37ffd2fcfb", manifest.HistoryHash.ToString());
        Assert.Equal(1795829281, manifest.PublishTimestamp);
        Assert.Equal("b2d2e7eebe6df053466dba5a6b1b205b9c801a61", manifest.MetaInfoHash.ToString());
        Assert.Equal("f79637eea4edba768b0fe3016ebe5ddc45dc62c7", manifest.ReflogHash.ToString());
        Assert.Null(manifest.MicroCatalogHash);
        Assert.Empty(manifest.UnknownFields);
    }

    [Fact]
    public void Signature_block_sits_at_the_byte_offsets_expected_manifest_txt_gives()
    {
        var letter = SignedManifest.Parse(RealManifest).Letter;

        Assert.Equal(300, letter.Text.Length);
        Assert.Equal("68224e437bd90015647b1c3719ce27c24f265ed7", letter.DeclaredHash);
        Assert.Equal(256, letter.Signature.Length);
        Assert.Equal(RealManifest[344..], letter.Signature.ToArray());
    }

    [Fact]
    public void Writing_the_parsed_fields_reproduces_the_text_part_byte_for_byte()
    {
        var parsed = SignedManifest.Parse(RealManifest);

        Assert.Equal(Encoding.ASCII.GetString(parsed.Letter.Text.Span), parsed.Manifest.ToText());
    }

    [Fact]
    public void Real_manifest_verifies_with_the_certificate_object()
    {
        var parsed = SignedManifest.Parse(RealManifest);
        using var certificate = RepositoryCertificate.Parse(TestVectors.DecompressObject("data/66/ac3168a1a826b7260d71db9850c593c7d6bd88X"));
        using var key = certificate.GetPublicKey();

        parsed.Verify(key);
    }

    [Fact]
    public void Re_signing_the_real_manifest_with_the_test_key_reproduces_the_file_byte_for_byte()
    {
        var parsed = SignedManifest.Parse(RealManifest);
        using var key = TestVectors.RepositoryPrivateKey();

        var written = SignedManifest.Create(parsed.Manifest, key);

        Assert.Equal(RealManifest, written);
    }

    [Fact]
    public void Signature_covers_the_ascii_hash_line_with_sha1_pkcs1()
    {
        using var certificate = RepositoryCertificate.Parse(File.ReadAllBytes(TestVectors.Key("vectors.strata.test.crt")));
        using var key = certificate.GetPublicKey();
        var letter = SignedManifest.Parse(RealManifest).Letter;

        Assert.True(ManifestSignature.Verify(key, "68224e437bd90015647b1c3719ce27c24f265ed7", letter.Signature.Span));
        Assert.False(ManifestSignature.Verify(key, "68224e437bd90015647b1c3719ce27c24f265ed8", letter.Signature.Span));
    }

    [Fact]
    public void Unknown_keys_are_kept_and_ignored()
    {
        var text = "Cd6d19aeabf6e6114b624c3ee335db87cfc7fed93\nRd41d8cd98f00b204e9800998ecf8427e\nD240\nS7\nQsomething new\n"u8;

        var manifest = RepositoryManifest.Parse(text);

        Assert.Equal(7, manifest.Revision);
        Assert.Equal(0, manifest.RootCatalogSize);
        Assert.Equal([new KeyValuePair<char, string>('Q', "something new")], manifest.UnknownFields);
    }

    [Theory]
    [InlineData("Rd41d8cd98f00b204e9800998ecf8427e\nD240\nS1\n")]
    [InlineData("Cd6d19aeabf6e6114b624c3ee335db87cfc7fed93\nD240\nS1\n")]
    [InlineData("Cd6d19aeabf6e6114b624c3ee335db87cfc7fed93\nRd41d8cd98f00b204e9800998ecf8427e\nS1\n")]
    [InlineData("Cd6d19aeabf6e6114b624c3ee335db87cfc7fed93\nRd41d8cd98f00b204e9800998ecf8427e\nD240\n")]
    [InlineData("Cnothex\nRd41d8cd98f00b204e9800998ecf8427e\nD240\nS1\n")]
    [InlineData("Cd6d19aeabf6e6114b624c3ee335db87cfc7fed93\nRd41d8cd98f00b204e9800998ecf8427e\nDsoon\nS1\n")]
    public void Manifest_without_a_required_field_or_with_a_malformed_one_is_rejected(string text)
    {
        Assert.Throws<CvmfsFormatException>(() => RepositoryManifest.Parse(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Shake128_repository_manifest_gets_a_shake128_hash_line()
    {
        if (!System.Security.Cryptography.Shake128.IsSupported)
        {
            return;
        }

        var manifest = new RepositoryManifest
        {
            RootCatalogHash = ContentHash.Parse("d6d19aeabf6e6114b624c3ee335db87cfc7fed93-shake128"),
            TtlSeconds = 240,
            Revision = 3,
        };
        using var key = TestVectors.RepositoryPrivateKey();
        using var certificate = RepositoryCertificate.Parse(File.ReadAllBytes(TestVectors.Key("vectors.strata.test.crt")));
        using var publicKey = certificate.GetPublicKey();

        var parsed = SignedManifest.Parse(SignedManifest.Create(manifest, key));

        Assert.EndsWith("-shake128", parsed.Letter.DeclaredHash, StringComparison.Ordinal);
        parsed.Verify(publicKey);
        Assert.Equal(manifest.RootCatalogHash, parsed.Manifest.RootCatalogHash);
    }
}
