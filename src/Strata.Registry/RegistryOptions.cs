using System.ComponentModel.DataAnnotations;

namespace Strata.Registry;

/// <summary>Settings of the OCI registry core (configuration section <c>Registry</c>).</summary>
public sealed class RegistryOptions
{
    public const string Section = "Registry";

    /// <summary>
    /// Largest manifest accepted, in bytes. The spec asks for at least 4 MB; larger manifests get
    /// 413. Manifests are held in memory while parsed, so this bounds memory per request.
    /// </summary>
    [Range(4 * 1024 * 1024, 64 * 1024 * 1024)]
    public int MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Largest page a tag or catalog listing returns, whatever <c>n</c> the client asks for; the rest
    /// follows through <c>Link</c>. 1,000 (as distribution's catalog default): a 10,001-row read had
    /// a p99 just over the 50 ms goal on both stores (docs/benchmarks.md), 1,001 rows stay well under.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPageSize { get; set; } = 1_000;

    /// <summary>Referrers returned per page before a <c>Link</c> header points to the next page.</summary>
    [Range(1, 100_000)]
    public int ReferrersPageSize { get; set; } = 1_000;
}
