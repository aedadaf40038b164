using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Signing;

/// <summary>
/// The repository certificate: a self-signed X.509 certificate holding the public half of the key that
/// signs <c>.cvmfspublished</c>. Stored PEM-encoded as the object <c>X</c>; trusted only when the
/// whitelist lists its fingerprint (cvmfs does not check its validity dates).
/// </summary>
public sealed class RepositoryCertificate : IDisposable
{
    private RepositoryCertificate(X509Certificate2 certificate, byte[] pem)
    {
        Certificate = certificate;
        Pem = pem;
    }

    /// <summary>The parsed certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The PEM bytes, exactly as stored in the object.</summary>
    public ReadOnlyMemory<byte> Pem { get; }

    /// <summary>Parses a PEM (or DER) certificate.</summary>
    public static RepositoryCertificate Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var certificate = bytes.StartsWith("-----BEGIN"u8)
                ? X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(bytes))
                : X509CertificateLoader.LoadCertificate(bytes);
            return new RepositoryCertificate(certificate, bytes.ToArray());
        }
        catch (CryptographicException e)
        {
            throw new CvmfsFormatException("The repository certificate cannot be parsed.", e);
        }
    }

    /// <summary>
    /// Makes a self-signed certificate for a new repository key, with the subject cvmfs_server uses
    /// (<c>CN=&lt;fqrn&gt; CernVM-FS Release Managers</c>).
    /// </summary>
    public static RepositoryCertificate Create(string repositoryName, RSA repositoryKey, DateTimeOffset notBefore, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(repositoryName);
        ArgumentNullException.ThrowIfNull(repositoryKey);
        var subject = new X500DistinguishedName("CN=" + repositoryName + " CernVM-FS Release Managers");
        var request = new CertificateRequest(subject, repositoryKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(notBefore, notBefore + lifetime);
        var pem = Encoding.ASCII.GetBytes(created.ExportCertificatePem() + "\n");
        return Parse(pem);
    }

    /// <summary>The RSA public key that verifies manifest signatures.</summary>
    public RSA GetPublicKey() =>
        Certificate.GetRSAPublicKey() ?? throw new CvmfsFormatException("The repository certificate does not hold an RSA key.");

    /// <summary>The fingerprint listed in whitelists: the hash of the DER encoding.</summary>
    public ContentHash Fingerprint(ContentHashAlgorithm algorithm = ContentHashAlgorithm.Sha1) =>
        ContentHasher.Compute(algorithm, Certificate.RawData);

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
