using System.Security.Cryptography;
using System.Text;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Signing;

namespace Strata.Cvmfs.Whitelist;

/// <summary>A parsed <c>.cvmfswhitelist</c>: its fields plus the master-key signature block.</summary>
public sealed class SignedWhitelist
{
    private SignedWhitelist(RepositoryWhitelist whitelist, SignedLetter letter)
    {
        Whitelist = whitelist;
        Letter = letter;
    }

    /// <summary>The whitelist fields.</summary>
    public RepositoryWhitelist Whitelist { get; }

    /// <summary>The raw text, hash line and signature.</summary>
    public SignedLetter Letter { get; }

    /// <summary>Parses the bytes of <c>.cvmfswhitelist</c> (signature not yet checked).</summary>
    public static SignedWhitelist Parse(ReadOnlyMemory<byte> bytes)
    {
        var letter = SignedLetter.Parse(bytes);
        return new SignedWhitelist(RepositoryWhitelist.Parse(letter.Text.Span), letter);
    }

    /// <summary>
    /// Checks the hash line and that one of <paramref name="masterKeys"/> signed it (a client may
    /// trust several master keys), then the expiry and the repository name, in the order the cvmfs
    /// client does. Throws <see cref="CvmfsVerificationException"/> on any failure.
    /// </summary>
    public void Verify(IEnumerable<RSA> masterKeys, string repositoryName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(masterKeys);
        var hashLine = Letter.VerifyDeclaredHash();
        var message = Encoding.ASCII.GetBytes(hashLine);
        if (!masterKeys.Any(key => RawRsaSignature.Verify(key, message, Letter.Signature.Span)))
        {
            throw new CvmfsVerificationException(VerificationFailure.WhitelistSignatureInvalid, "The whitelist signature does not verify with any trusted master key.");
        }

        if (!Whitelist.IsValidAt(now))
        {
            throw new CvmfsVerificationException(VerificationFailure.WhitelistExpired, $"The whitelist expired at {Whitelist.ExpiresAt:u}.");
        }

        if (!string.Equals(Whitelist.RepositoryName, repositoryName, StringComparison.Ordinal))
        {
            throw new CvmfsVerificationException(VerificationFailure.RepositoryNameMismatch, $"The whitelist is for '{Whitelist.RepositoryName}', not '{repositoryName}'.");
        }

        if (Whitelist.RequiresPkcs7 || Whitelist.RequiresCaChain)
        {
            throw new CvmfsVerificationException(VerificationFailure.Unsupported, "PKCS#7-signed and CA-chain whitelists are not supported.");
        }
    }

    /// <summary>
    /// Writes and signs a whitelist with the master key: SHA-1 hash line, raw PKCS#1 signature of it
    /// (like <c>cvmfs_server create_whitelist</c>).
    /// </summary>
    public static byte[] Create(RepositoryWhitelist whitelist, RSA masterKey, ContentHashAlgorithm algorithm = ContentHashAlgorithm.Sha1)
    {
        ArgumentNullException.ThrowIfNull(whitelist);
        var text = Encoding.ASCII.GetBytes(whitelist.ToText());
        var hashLine = SignedLetter.HashLineFor(text, algorithm);
        return SignedLetter.Compose(text, hashLine, RawRsaSignature.Sign(masterKey, Encoding.ASCII.GetBytes(hashLine)));
    }
}
