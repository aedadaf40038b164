namespace Strata.Client.Cache;

/// <summary>Where the shared cache lives and how large it may grow (cvmfs <c>CVMFS_CACHE_BASE</c>, <c>CVMFS_QUOTA_LIMIT</c>).</summary>
public sealed record CacheOptions
{
    /// <summary>The cache directory, shared by every mount and repository on the machine.</summary>
    public required string Directory { get; init; }

    /// <summary>Soft limit of the cache in bytes; 0 or less means unlimited.</summary>
    public long QuotaBytes { get; init; } = 4000L * 1024 * 1024;

    /// <summary>When the quota is exceeded, least recently used entries are evicted down to this fraction of it (cvmfs: half).</summary>
    public double CleanupFraction { get; init; } = 0.5;
}
