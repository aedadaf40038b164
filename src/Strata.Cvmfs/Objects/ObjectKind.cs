namespace Strata.Cvmfs.Objects;

/// <summary>
/// What a content-addressed object holds; decides the one-character suffix of its name
/// (cvmfs <c>shash::Suffix</c>).
/// </summary>
public enum ObjectKind
{
    /// <summary>A whole regular file: no suffix.</summary>
    File,

    /// <summary>A file catalog (SQLite): suffix <c>C</c>.</summary>
    Catalog,

    /// <summary>A chunk of a chunked file ("partial"): suffix <c>P</c>.</summary>
    Partial,

    /// <summary>The repository certificate (PEM X.509): suffix <c>X</c>.</summary>
    Certificate,

    /// <summary>The tag/history database (SQLite): suffix <c>H</c>.</summary>
    History,

    /// <summary>The repository meta-info JSON: suffix <c>M</c>.</summary>
    MetaInfo,

    /// <summary>A micro catalog (defined by cvmfs, unused): suffix <c>L</c>.</summary>
    MicroCatalog,

    /// <summary>A temporary object: suffix <c>T</c>.</summary>
    Temporary,
}
