using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Signing;
using Strata.Cvmfs.Tests.Support;
using Strata.Cvmfs.Whitelist;

namespace Strata.Cvmfs.Tests.Signing;

public sealed class RepositoryCertificateTests
{
    [Fact]
    public void Certificate_object_is_byte_identical_to_the_pem_file()
    {
        var fromObject = TestVectors.DecompressObject("data/66/ac3168a1a826b7260d71db9850c593c7d6bd88X");

        Assert.Equal(File.ReadAllBytes(TestVectors.Key("vectors.strata.test.crt")), fromObject);
    }

    [Fact]
    public void New_certificate_has_the_cvmfs_release_managers_subject_and_holds_the_key()
    {
        using var key = RSA.Create(2048);

        using var certificate = RepositoryCertificate.Create("new.strata.test", key, DateTimeOffset.UtcNow, TimeSpan.FromDays(3650));

        Assert.Equal("CN=new.strata.test CernVM-FS Release Managers", certificate.Certificate.Subject);
        Assert.Equal(certificate.Certificate.Subject, certificate.Certificate.Issuer);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Encoding.ASCII.GetString(certificate.Pem.Span), StringComparison.Ordinal);
        using var publicKey = certificate.GetPublicKey();
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), publicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void New_key_certificate_and_master_key_form_a_chain_that_verifies()
    {
        using var repositoryKey = RSA.Create(2048);
        using var masterKey = RSA.Create(2048);
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = RepositoryCertificate.Create("new.strata.test", repositoryKey, now, TimeSpan.FromDays(365));
        var (certificateObject, _) = ObjectEncoder.EncodeBytes(certificate.Pem.Span);
        var manifest = SignedManifest.Parse(SignedManifest.Create(
            new RepositoryManifest
            {
                RootCatalogHash = ContentHash.Parse("d6d19aeabf6e6114b624c3ee335db87cfc7fed93"),
                TtlSeconds = 240,
                Revision = 1,
                RepositoryName = "new.strata.test",
                CertificateHash = certificateObject.Hash,
            },
            repositoryKey));
        var whitelist = SignedWhitelist.Parse(SignedWhitelist.Create(
            new RepositoryWhitelist { IssuedAt = now, ExpiresAt = now.AddDays(30), RepositoryName = "new.strata.test", Fingerprints = [certificate.Fingerprint()] },
            masterKey));

        SignatureChain.Verify(manifest, certificate, whitelist, [masterKey], "new.strata.test", now.AddDays(1));
        var expired = Assert.Throws<CvmfsVerificationException>(() => SignatureChain.Verify(manifest, certificate, whitelist, [masterKey], "new.strata.test", now.AddDays(31)));
        Assert.Equal(VerificationFailure.WhitelistExpired, expired.Failure);
    }

    [Fact]
    public void Real_chain_verifies_with_the_published_master_key()
    {
        using var masterKey = TestVectors.MasterPublicKey();
        var manifest = SignedManifest.Parse(TestVectors.ReadRepoFile(".cvmfspublished"));
        var whitelist = SignedWhitelist.Parse(TestVectors.ReadRepoFile(".cvmfswhitelist"));
        using var certificate = RepositoryCertificate.Parse(TestVectors.DecompressObject("data/66/ac3168a1a826b7260d71db9850c593c7d6bd88X"));

        SignatureChain.Verify(manifest, certificate, whitelist, [masterKey], TestVectors.RepositoryName, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Real_chain_is_refused_when_the_manifest_is_for_another_repository()
    {
        using var masterKey = TestVectors.MasterPublicKey();
        using var repositoryKey = TestVectors.RepositoryPrivateKey();
        var real = SignedManifest.Parse(TestVectors.ReadRepoFile(".cvmfspublished")).Manifest;
        var manifest = SignedManifest.Parse(SignedManifest.Create(real with { RepositoryName = "other.strata.test" }, repositoryKey));
        var whitelist = SignedWhitelist.Parse(TestVectors.ReadRepoFile(".cvmfswhitelist"));
        using var certificate = RepositoryCertificate.Parse(TestVectors.DecompressObject("data/66/ac3168a1a826b7260d71db9850c593c7d6bd88X"));

        var error = Assert.Throws<CvmfsVerificationException>(() => SignatureChain.Verify(manifest, certificate, whitelist, [masterKey], TestVectors.RepositoryName, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(VerificationFailure.RepositoryNameMismatch, error.Failure);
    }
}
