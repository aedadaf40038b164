namespace Strata.Cvmfs.Objects;

/// <summary>
/// Content hash algorithms, numbered like cvmfs's <c>shash::Algorithms</c> so that the catalog flag
/// bits (algorithm id − 1, see <see cref="Catalogs.EntryFlags"/>) map directly.
/// </summary>
public enum ContentHashAlgorithm
{
    /// <summary>SHA-1, the cvmfs default; no name suffix.</summary>
    Sha1 = 1,

    /// <summary>RIPEMD-160, name suffix <c>-rmd160</c>. Recognised but not computable on .NET.</summary>
    Ripemd160 = 2,

    /// <summary>SHAKE-128 with 160 bits of output, name suffix <c>-shake128</c>.</summary>
    Shake128 = 3,
}
