namespace Strata.Cvmfs.Catalogs;

/// <summary>The <c>statistics</c> table of a catalog.</summary>
/// <param name="Self">Counters of the catalog's own rows.</param>
/// <param name="Subtree">Counters of every catalog nested below (their self plus their subtree).</param>
public sealed record CatalogStatistics(CatalogCounters Self, CatalogCounters Subtree)
{
    /// <summary>What a parent catalog adds to its subtree counters for this child.</summary>
    public CatalogCounters Total => Self + Subtree;

    /// <summary>The rows, in the order cvmfs writes them (<c>self_*</c> then <c>subtree_*</c>).</summary>
    public IEnumerable<KeyValuePair<string, long>> ToRows() =>
        Self.ToPairs().Select(p => new KeyValuePair<string, long>("self_" + p.Key, p.Value))
            .Concat(Subtree.ToPairs().Select(p => new KeyValuePair<string, long>("subtree_" + p.Key, p.Value)));

    /// <summary>Reads the counters from a counter → value table.</summary>
    public static CatalogStatistics FromTable(IReadOnlyDictionary<string, long> table) =>
        new(CatalogCounters.FromTable(table, "self_"), CatalogCounters.FromTable(table, "subtree_"));
}
