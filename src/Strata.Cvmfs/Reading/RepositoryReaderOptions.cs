using System.Security.Cryptography;

namespace Strata.Cvmfs.Reading;

/// <summary>What to open and whom to trust.</summary>
public sealed record RepositoryReaderOptions
{
    /// <summary>Fully qualified repository name; the whitelist and manifest must name it.</summary>
    public required string RepositoryName { get; init; }

    /// <summary>Trusted master public keys (<c>CVMFS_PUBLIC_KEY</c>); the whitelist must be signed by one. Owned by the caller.</summary>
    public required IReadOnlyList<RSA> MasterKeys { get; init; }

    /// <summary>Open this history tag instead of the newest revision (<c>CVMFS_REPOSITORY_TAG</c>).</summary>
    public string? Tag { get; init; }

    /// <summary>Clock for the whitelist expiry check.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where decompressed catalogs are kept while the reader is open. Null: a fresh directory under the
    /// system temporary directory, deleted when the reader is disposed.
    /// </summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Variable lookup for variant symlinks; the cvmfs client uses its process environment.</summary>
    public Func<string, string?> SymlinkVariables { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Largest manifest or whitelist accepted.</summary>
    public int MaxSignedFileSize { get; init; } = 64 * 1024;

    /// <summary>Largest certificate accepted.</summary>
    public int MaxCertificateSize { get; init; } = 64 * 1024;

    /// <summary>Largest decompressed catalog or history database accepted.</summary>
    public long MaxDatabaseSize { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Deepest nesting of catalogs followed (guards against hostile catalog chains).</summary>
    public int MaxCatalogDepth { get; init; } = 64;

    /// <summary>Objects up to this many stored bytes are verified in memory; larger ones in a temporary file.</summary>
    public int MemorySpoolThreshold { get; init; } = 1024 * 1024;
}
