using System.Security.Cryptography;
using Strata.Client.Network;
using Strata.Client.Repository;

namespace Strata.Client.Mirror;

/// <summary>What <see cref="RepositoryMirror"/> replicates, where to, and whom to trust.</summary>
public sealed record MirrorOptions
{
    /// <summary>The upstream (Stratum 0 or another Stratum 1), then optional fallbacks serving the same repository.</summary>
    public required IReadOnlyList<RepositoryAddress> Upstreams { get; init; }

    /// <summary>The mirror directory, laid out like a Stratum 0/1 (<c>.cvmfspublished</c>, <c>.cvmfswhitelist</c>, <c>data/xx/…</c>).</summary>
    public required string Directory { get; init; }

    /// <summary>Trusted master public keys; the upstream whitelist must be signed by one. Owned by the caller.</summary>
    public required IReadOnlyList<RSA> MasterKeys { get; init; }

    /// <summary>Proxies, timeouts and retries for the upstream.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>Also replicate every revision named in the history database (as <c>cvmfs_server snapshot</c> does).</summary>
    public bool IncludeTaggedRevisions { get; init; } = true;

    /// <summary>Objects downloaded at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>Clock for the whitelist expiry check.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The repository name, from the first upstream URL.</summary>
    public string Fqrn => Upstreams[0].Fqrn;
}
