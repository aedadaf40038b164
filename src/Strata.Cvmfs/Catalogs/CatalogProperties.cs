using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>What a publisher sets in a new catalog's <c>properties</c> table.</summary>
public sealed record CatalogProperties
{
    /// <summary><c>revision</c>: the publication's revision (the manifest's <c>S</c> for a root catalog).</summary>
    public required long Revision { get; init; }

    /// <summary><c>last_modified</c>: publication time, seconds since the epoch.</summary>
    public required long LastModified { get; init; }

    /// <summary>
    /// <c>previous_revision</c>: the catalog this one replaces. Null writes none (as <c>create</c> does
    /// for revision 0); cvmfs writes forty zeros for a catalog that is new in a later revision.
    /// </summary>
    public ContentHash? PreviousRevision { get; init; }

    /// <summary><c>TTL</c> in seconds: root catalogs only (cvmfs default 240).</summary>
    public long? TtlSeconds { get; init; }

    /// <summary>The forty-zeros <c>previous_revision</c> of a catalog that did not exist before.</summary>
    public static ContentHash NoPreviousRevision { get; } = ContentHash.FromDigest(ContentHashAlgorithm.Sha1, new byte[ContentHash.DigestSize]);
}
