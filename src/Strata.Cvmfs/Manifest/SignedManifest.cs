using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Signing;

namespace Strata.Cvmfs.Manifest;

/// <summary>A parsed <c>.cvmfspublished</c>: the manifest fields plus the signature block they came with.</summary>
public sealed class SignedManifest
{
    private SignedManifest(RepositoryManifest manifest, SignedLetter letter)
    {
        Manifest = manifest;
        Letter = letter;
    }

    /// <summary>The manifest fields.</summary>
    public RepositoryManifest Manifest { get; }

    /// <summary>The raw text, hash line and signature.</summary>
    public SignedLetter Letter { get; }

    /// <summary>Parses the bytes of <c>.cvmfspublished</c> (signature not yet checked).</summary>
    public static SignedManifest Parse(ReadOnlyMemory<byte> bytes)
    {
        var letter = SignedLetter.Parse(bytes);
        return new SignedManifest(RepositoryManifest.Parse(letter.Text.Span), letter);
    }

    /// <summary>
    /// Checks the hash line against the text and the signature against the certificate's key;
    /// throws <see cref="CvmfsVerificationException"/> otherwise.
    /// </summary>
    public void Verify(RSA certificateKey)
    {
        var hashLine = Letter.VerifyDeclaredHash();
        if (!ManifestSignature.Verify(certificateKey, hashLine, Letter.Signature.Span))
        {
            throw new CvmfsVerificationException(VerificationFailure.ManifestSignatureInvalid, "The manifest signature does not verify with the repository certificate.");
        }
    }

    /// <summary>
    /// Writes and signs a manifest: text, <c>--</c>, hash line (in the root catalog's hash algorithm,
    /// as <c>cvmfs_swissknife sign</c> does), signature by the repository key.
    /// </summary>
    public static byte[] Create(RepositoryManifest manifest, RSA repositoryKey)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return Sign(Encoding.UTF8.GetBytes(manifest.ToText()), manifest.RootCatalogHash.Algorithm, repositoryKey);
    }

    /// <summary>Signs an already formatted manifest text.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> text, Objects.ContentHashAlgorithm algorithm, RSA repositoryKey)
    {
        var hashLine = SignedLetter.HashLineFor(text, algorithm);
        return SignedLetter.Compose(text, hashLine, ManifestSignature.Sign(repositoryKey, hashLine));
    }
}
