namespace Strata.Client.Network;

/// <summary>How the client talks HTTP: proxies, timeouts, retries (cvmfs <c>CVMFS_TIMEOUT</c>, <c>CVMFS_MAX_RETRIES</c>, <c>CVMFS_BACKOFF_*</c>).</summary>
public sealed record NetworkOptions
{
    /// <summary>Proxies in CernVM-FS syntax.</summary>
    public ProxyChain Proxies { get; init; } = ProxyChain.Direct;

    /// <summary>Connect timeout, and the longest a transfer may stall without receiving a byte.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra rounds over every mirror and proxy after the first one failed.</summary>
    public int MaxRetries { get; init; } = 1;

    /// <summary>First pause between rounds; doubled each round, up to <see cref="BackoffMax"/>, with jitter.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest pause between rounds.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Sent as <c>User-Agent</c>.</summary>
    public string UserAgent { get; init; } = "strata-client/1 (cvmfs compatible)";
}
