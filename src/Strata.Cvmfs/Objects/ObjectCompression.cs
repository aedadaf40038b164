namespace Strata.Cvmfs.Objects;

/// <summary>
/// How an object's bytes are stored; the values are cvmfs's <c>zlib::Algorithms</c>, which catalog
/// rows keep in flag bits 11–13.
/// </summary>
public enum ObjectCompression
{
    /// <summary>A zlib (RFC 1950) stream, the default and the only choice for catalogs, history and certificates.</summary>
    Zlib = 0,

    /// <summary>Stored as is.</summary>
    None = 1,
}
