using System.Security.Cryptography;
using Strata.Client.Cache;
using Strata.Client.Network;

namespace Strata.Client.Repository;

/// <summary>Everything a client needs to open a repository.</summary>
public sealed record ClientOptions
{
    /// <summary>The repository and its mirrors, in the order to try them.</summary>
    public required IReadOnlyList<RepositoryAddress> Mirrors { get; init; }

    /// <summary>Trusted master public keys: the whitelist must be signed by one.</summary>
    public required IReadOnlyList<RSA> MasterKeys { get; init; }

    /// <summary>The shared cache.</summary>
    public required CacheOptions Cache { get; init; }

    /// <summary>Network behaviour.</summary>
    public NetworkOptions Network { get; init; } = new();

    /// <summary>Mount this history tag instead of the newest revision (pinned: never updated).</summary>
    public string? Tag { get; init; }

    /// <summary>Re-check the manifest this often at most; null: the manifest's TTL (<c>D</c>, cvmfs default 4 min).</summary>
    public TimeSpan? RevisionCheckInterval { get; init; }

    /// <summary>Variables for variant symlinks; the process environment by default, as in cvmfs.</summary>
    public Func<string, string?> SymlinkVariables { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Clock for whitelist expiry and TTLs.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The repository name (from the URLs).</summary>
    public string Fqrn => Mirrors[0].Fqrn;
}
