using System.Security.Cryptography;
using Strata.Cvmfs.Manifest;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Whitelist;

namespace Strata.Cvmfs.Signing;

/// <summary>
/// The trust chain of a repository, checked the way the cvmfs client does it:
/// master key → whitelist (signature, expiry, name) → certificate (fingerprint listed) →
/// manifest (hash line, signature, name).
/// </summary>
public static class SignatureChain
{
    /// <summary>
    /// Verifies the chain. <paramref name="certificateBytes"/> must already have been checked against
    /// the manifest's <c>X</c> hash (the object fetcher does that). Throws
    /// <see cref="CvmfsVerificationException"/> on the first broken link.
    /// </summary>
    public static void Verify(SignedManifest manifest, RepositoryCertificate certificate, SignedWhitelist whitelist, IReadOnlyList<RSA> masterKeys, string repositoryName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(whitelist);

        whitelist.Verify(masterKeys, repositoryName, now);

        // The client fingerprints with the algorithm each listed fingerprint names, SHA-1 by default.
        var listed = whitelist.Whitelist.Fingerprints.Any(f => ContentHasher.IsSupported(f.Algorithm) && certificate.Fingerprint(f.Algorithm) == f);
        if (!listed)
        {
            throw new CvmfsVerificationException(VerificationFailure.CertificateNotWhitelisted, $"The certificate {certificate.Fingerprint().ToFingerprint()} is not in the whitelist.");
        }

        using (var key = certificate.GetPublicKey())
        {
            manifest.Verify(key);
        }

        if (manifest.Manifest.RepositoryName is { } name && !string.Equals(name, repositoryName, StringComparison.Ordinal))
        {
            throw new CvmfsVerificationException(VerificationFailure.RepositoryNameMismatch, $"The manifest is for '{name}', not '{repositoryName}'.");
        }
    }
}
