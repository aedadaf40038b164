using Strata.Cvmfs.Objects;
using Strata.Publish.Storage;

namespace Strata.Publish.Repository;

/// <summary>Settings of one published repository.</summary>
public sealed record RepositoryPublisherOptions
{
    /// <summary>Fully qualified repository name, e.g. <c>unpacked.example.org</c>.</summary>
    public required string RepositoryName { get; init; }

    /// <summary>Registry host the public names start with, e.g. <c>registry.example.org</c>.</summary>
    public required string RegistryHost { get; init; }

    /// <summary>Local scratch space (catalog builds, catalog cache, spool files).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Hash algorithm of every object (SHA-1 by default, as most repositories; SHAKE-128 is what cvmfs now recommends).</summary>
    public ContentHashAlgorithm Algorithm { get; init; } = ContentHashAlgorithm.Sha1;

    /// <summary>Largest catalog before subdirectories are split into nested catalogs.</summary>
    public int MaxEntriesPerCatalog { get; init; } = 200_000;

    /// <summary>Manifest <c>D</c> and root catalog <c>TTL</c>: how often clients look for a new revision (cvmfs default 240 s).</summary>
    public long TtlSeconds { get; init; } = 240;

    /// <summary>Manifest <c>G</c>: tells Stratum 1s that unreferenced objects may be collected.</summary>
    public bool GarbageCollectable { get; init; } = true;

    /// <summary>Lifetime of a new whitelist (cvmfs_server: 30 days with a master key file).</summary>
    public TimeSpan WhitelistValidity { get; init; } = TimeSpan.FromDays(30);

    /// <summary>A whitelist expiring within this time is renewed at the next commit.</summary>
    public TimeSpan WhitelistRenewBefore { get; init; } = TimeSpan.FromDays(7);

    public DriverObjectSinkOptions Sink { get; init; } = new();
}
