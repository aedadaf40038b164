namespace Strata.Cvmfs.Reflog;

/// <summary>What a reflog row points at (the <c>type</c> column, cvmfs <c>SqlReflog::ReferenceType</c>).</summary>
public enum ReflogReferenceKind
{
    /// <summary>A root catalog.</summary>
    Catalog = 0,

    /// <summary>A certificate.</summary>
    Certificate = 1,

    /// <summary>A history database.</summary>
    History = 2,

    /// <summary>A meta-info object.</summary>
    MetaInfo = 3,
}
