namespace Strata.Client.Fuse;

/// <summary>How the repository is presented through FUSE.</summary>
public sealed record MountOptions
{
    /// <summary>The directory to mount on.</summary>
    public required string Mountpoint { get; init; }

    /// <summary>
    /// How long the kernel may cache names, attributes and negative lookups (cvmfs: 60 s). After a
    /// revision change, paths show the new revision at most this long after the switch.
    /// </summary>
    public TimeSpan KernelCacheTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Let users other than the mounting one use the mount (needs root or user_allow_other).</summary>
    public bool AllowOther { get; init; } = true;

    /// <summary>
    /// List the client's virtual attributes (user.hash, user.revision, …) on the repository root, as
    /// cvmfs does by default; they can be read with getxattr on every entry either way.
    /// </summary>
    public bool ListMagicXattrs { get; init; }

    /// <summary>Threads blocking in read(2) on /dev/fuse; requests that wait for the network do not hold one.</summary>
    public int ReaderThreads { get; init; } = 4;

    /// <summary>How often the status file in the cache directory is rewritten.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(5);
}
