using System.Security.Cryptography;
using System.Text;

namespace Strata.Cvmfs.Signing;

/// <summary>
/// The repository-key signature of <c>.cvmfspublished</c>: RSASSA-PKCS1-v1_5 with SHA-1 over the
/// ASCII hash line (cvmfs <c>SignatureManager::Sign</c>, <c>EVP_SignInit(EVP_sha1())</c>), i.e. the
/// text is hashed twice: once to make the hash line, once more inside the signature.
/// </summary>
public static class ManifestSignature
{
    /// <summary>Signs a hash line with the repository private key. Deterministic.</summary>
    public static byte[] Sign(RSA repositoryKey, string hashLine)
    {
        ArgumentNullException.ThrowIfNull(repositoryKey);
        return repositoryKey.SignData(Encoding.ASCII.GetBytes(hashLine), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
    }

    /// <summary>True when <paramref name="signature"/> is the repository key's signature of <paramref name="hashLine"/>.</summary>
    public static bool Verify(RSA certificateKey, string hashLine, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(certificateKey);
        try
        {
            return certificateKey.VerifyData(Encoding.ASCII.GetBytes(hashLine), signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
