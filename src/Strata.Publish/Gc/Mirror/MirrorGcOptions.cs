namespace Strata.Publish.Gc.Mirror;

/// <summary>Settings of <see cref="MirrorGarbageCollector"/>; the preservation rules are the repository's.</summary>
public sealed record MirrorGcOptions
{
    /// <summary>The mirror directory made by <c>strata mirror</c> (<c>.cvmfspublished</c>, <c>data/xx/…</c>).</summary>
    public required string Directory { get; init; }

    /// <summary>Revisions younger than this are preserved, with the current one and every tagged one (cvmfs_server's default: 3 days).</summary>
    public TimeSpan RevisionRetention { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Objects written within this span are never swept.</summary>
    public TimeSpan ObjectGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long to wait for a <c>strata mirror</c> run that holds the directory before giving up.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(1);
}
