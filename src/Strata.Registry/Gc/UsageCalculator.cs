using Strata.Metadata.Contracts.Gc;

namespace Strata.Registry.Gc;

/// <summary>Computes <see cref="UsageReport"/> from the store's (repository, blob) pairs.</summary>
public sealed class UsageCalculator(IGarbageCollectionStore store)
{
    public async Task<UsageReport> CalculateAsync(CancellationToken cancellationToken)
    {
        var usage = await store.ListBlobUsageAsync(cancellationToken).ConfigureAwait(false);
        return Calculate(usage);
    }

    public static UsageReport Calculate(IReadOnlyList<BlobUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in usage)
        {
            sizes[row.Digest] = row.Size;
        }

        return new UsageReport(
            sizes.Values.Sum(),
            sizes.Count,
            Figures(usage, row => row.Repository),
            Figures(usage, row => ProjectOf(row.Repository)));
    }

    /// <summary>The project of a repository: its first path component (<c>team/app</c> → <c>team</c>).</summary>
    public static string ProjectOf(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? repository : repository[..slash];
    }

    private static List<UsageFigures> Figures(IReadOnlyList<BlobUsage> usage, Func<BlobUsage, string> owner)
    {
        // Distinct (owner, digest) pairs, then how many owners keep each digest.
        var kept = usage.Select(row => (Owner: owner(row), row.Digest, row.Size)).Distinct().ToList();
        var owners = kept.GroupBy(k => k.Digest, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return kept
            .GroupBy(k => k.Owner, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new UsageFigures(
                g.Key,
                g.LongCount(),
                g.Sum(k => k.Size),
                g.Where(k => owners[k.Digest] > 1).Sum(k => k.Size)))
            .ToList();
    }
}
