using Strata.Cvmfs.Objects;

namespace Strata.Publish.Trees;

/// <summary>How <see cref="TreeCatalogWriter"/> writes catalogs.</summary>
public sealed record CatalogWriteOptions
{
    /// <summary>Hash algorithm of catalog objects (the repository's algorithm).</summary>
    public ContentHashAlgorithm Algorithm { get; init; } = ContentHashAlgorithm.Sha1;

    /// <summary>Largest number of rows per catalog before subdirectories are split off (cvmfs recommends at most 200,000).</summary>
    public int MaxEntriesPerCatalog { get; init; } = 200_000;

    /// <summary>The <c>revision</c> property of the catalogs written.</summary>
    public long Revision { get; init; } = 1;

    /// <summary>The <c>last_modified</c> property, seconds since the epoch.</summary>
    public long LastModified { get; init; }

    /// <summary>Where SQLite files are built before they are compressed and stored.</summary>
    public required string WorkDirectory { get; init; }
}
