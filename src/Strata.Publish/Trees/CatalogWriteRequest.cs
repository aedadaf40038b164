using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Publish.Trees;

/// <summary>One call of <see cref="TreeCatalogWriter.WriteAsync"/>.</summary>
public sealed record CatalogWriteRequest
{
    /// <summary>The tree; its root becomes the catalog's root row.</summary>
    public required FsNode Root { get; init; }

    /// <summary>Repository path of the root: empty for the repository root, else <c>/a/b</c>.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// Subtree counters of mounts whose totals are unknown (<see cref="NestedMount.Totals"/> null),
    /// carried over from the catalog being replaced. Such mounts must sit in the top catalog.
    /// </summary>
    public CatalogCounters BaseSubtree { get; init; } = CatalogCounters.Zero;

    /// <summary><c>previous_revision</c> per catalog path; catalogs not listed get forty zeros (new, as cvmfs writes it).</summary>
    public IReadOnlyDictionary<string, ContentHash> PreviousRevisions { get; init; } = new Dictionary<string, ContentHash>();

    /// <summary>The root catalog's <c>TTL</c> property (root of the repository only).</summary>
    public long? TtlSeconds { get; init; }

    /// <summary>Extra <c>properties</c> rows of the top catalog (clients ignore unknown keys).</summary>
    public IReadOnlyDictionary<string, string>? ExtraProperties { get; init; }
}
