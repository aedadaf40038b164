namespace Strata.Publish.Trees;

/// <summary>
/// Decides which directories of a tree become nested catalogs so that no catalog holds more than a
/// given number of rows. Bottom-up and greedy, like cvmfs's autocatalogs: a directory whose own
/// catalog would be too large hands its largest subdirectories to catalogs of their own until it
/// fits. A directory with more direct children than the limit cannot be split (cvmfs cannot
/// either) and stays one oversized catalog.
/// </summary>
internal static class CatalogSplitPlanner
{
    /// <summary>The directories (below <paramref name="root"/>) that get their own catalog.</summary>
    public static HashSet<FsNode> Plan(FsNode root, int maxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 2);
        var cuts = new HashSet<FsNode>(ReferenceEqualityComparer.Instance);
        Weigh(root, maxEntries, cuts, out _);
        return cuts;
    }

    /// <summary>
    /// Rows the directory's content adds to the catalog holding the directory (its own row
    /// excluded). <paramref name="pinned"/>: the subtree holds a mount with unknown totals, which
    /// must stay in the top catalog, so no directory above it may be cut.
    /// </summary>
    private static long Weigh(FsNode directory, int maxEntries, HashSet<FsNode> cuts, out bool pinned)
    {
        pinned = false;
        if (!directory.HasChildren)
        {
            return 0;
        }

        long weight = 0;
        List<(FsNode Child, long Weight)>? candidates = null;
        foreach (var child in directory.Children.Values)
        {
            weight++;
            if (!child.IsDirectory)
            {
                continue;
            }

            if (child.Mount is not null)
            {
                pinned |= child.Mount.Totals is null;
                continue;
            }

            var childWeight = Weigh(child, maxEntries, cuts, out var childPinned);
            pinned |= childPinned;
            if (child.ForceNested && !childPinned)
            {
                cuts.Add(child);
                continue;
            }

            weight += childWeight;
            if (!childPinned && childWeight > 0)
            {
                (candidates ??= []).Add((child, childWeight));
            }
        }

        if (weight + 1 > maxEntries && candidates is not null)
        {
            foreach (var (child, childWeight) in candidates.OrderByDescending(c => c.Weight))
            {
                cuts.Add(child);
                weight -= childWeight;
                if (weight + 1 <= maxEntries)
                {
                    break;
                }
            }
        }

        return weight;
    }
}
