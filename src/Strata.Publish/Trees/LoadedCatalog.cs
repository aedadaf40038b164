using Strata.Cvmfs.Catalogs;

namespace Strata.Publish.Trees;

/// <summary>A catalog read back into a tree.</summary>
/// <param name="Root">The tree; nested catalogs that were not followed are <see cref="FsNode.Mount"/>s with unknown totals.</param>
/// <param name="Statistics">The top catalog's statistics.</param>
/// <param name="Properties">The top catalog's properties.</param>
/// <param name="FollowedTotals">Sum of the totals of the nested catalogs directly below the top one that were followed.</param>
public sealed record LoadedCatalog(FsNode Root, CatalogStatistics Statistics, IReadOnlyDictionary<string, string> Properties, CatalogCounters FollowedTotals)
{
    /// <summary>The subtree counters of the mounts left unfollowed: what a rewrite passes as base.</summary>
    public CatalogCounters UnfollowedSubtree => CountersMath.Subtract(Statistics.Subtree, FollowedTotals);
}
