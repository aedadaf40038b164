namespace Strata.Cvmfs;

/// <summary>Why a repository, object or signature was refused.</summary>
public enum VerificationFailure
{
    /// <summary>The bytes of an object do not hash to its name.</summary>
    ObjectHashMismatch,

    /// <summary>The hash line of a signed file does not match its text.</summary>
    LetterHashMismatch,

    /// <summary>The manifest signature does not verify with the certificate.</summary>
    ManifestSignatureInvalid,

    /// <summary>The whitelist signature does not verify with any trusted master key.</summary>
    WhitelistSignatureInvalid,

    /// <summary>The whitelist's expiry time has passed.</summary>
    WhitelistExpired,

    /// <summary>The whitelist, manifest or catalog names another repository.</summary>
    RepositoryNameMismatch,

    /// <summary>The certificate's fingerprint is not in the whitelist.</summary>
    CertificateNotWhitelisted,

    /// <summary>A signature block is missing where one is required.</summary>
    SignatureMissing,

    /// <summary>An object decompresses to a different size than its catalog entry says.</summary>
    SizeMismatch,

    /// <summary>An object or file exceeds a configured size limit (compression bomb protection).</summary>
    SizeLimitExceeded,

    /// <summary>A catalog does not belong where it was mounted (root prefix mismatch).</summary>
    CatalogMismatch,

    /// <summary>A feature the reader does not support (PKCS#7 whitelists, RIPEMD-160…).</summary>
    Unsupported,
}
