using System.ComponentModel.DataAnnotations;

namespace Strata.Server.Publication;

/// <summary>Settings of CernVM-FS publication (configuration section <c>Publish</c>).</summary>
public sealed class PublicationOptions
{
    public const string Section = "Publish";

    /// <summary>Publish pushed images at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The repository's fully qualified name; clients mount <c>/cvmfs/&lt;fqrn&gt;</c>.</summary>
    [RegularExpression(@"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$", ErrorMessage = "Publish:Repository must look like a DNS name, e.g. unpacked.example.org")]
    public string Repository { get; set; } = "unpacked.strata.local";

    /// <summary>
    /// The registry host name in published paths (<c>&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;</c>), i.e. the name users
    /// pull from. Default: the address the server listens on.
    /// </summary>
    public string? RegistryHost { get; set; }

    /// <summary>Globs of what to publish (see <see cref="PublicationRules"/>). Empty (the default): everything.</summary>
    /// <remarks>Empty rather than <c>["**"]</c> by default: the configuration binder appends to a
    /// list's existing items, so a default entry would survive any configured rules.</remarks>
    public List<string> Rules { get; set; } = [];

    public IReadOnlyList<string> EffectiveRules => Rules.Count == 0 ? ["**"] : Rules;

    /// <summary>
    /// zlib level of file objects, 1 (fastest) to 9. Default 1, not cvmfs's 6: measured on the
    /// benchmark set, level 1 with incompressible files stored as is publishes with 0.39× the CPU
    /// of level 6 for 6 % more bytes in <c>data/</c> (docs/benchmarks.md, "Publication (issue 3)");
    /// every client reads every level.
    /// </summary>
    [Range(1, 9, ErrorMessage = "Publish:CompressionLevel must be 1 to 9")]
    public int CompressionLevel { get; set; } = 1;

    /// <summary>Store files whose first 64 KiB do not compress uncompressed (flag "none") instead of deflating them for nothing (default on, see <see cref="CompressionLevel"/>).</summary>
    public bool StoreIncompressibleUncompressed { get; set; } = true;

    /// <summary>
    /// Publications running at once in this process (default 1). Publication is CPU-bound and runs
    /// in the server process: more at once only makes each slower and starves request serving.
    /// Further jobs wait their turn (their leases are kept alive while they wait).
    /// </summary>
    [Range(1, 64, ErrorMessage = "Publish:MaxConcurrentPublications must be 1 to 64")]
    public int MaxConcurrentPublications { get; set; } = 1;

    /// <summary>Layers one publication ingests at once. Default: half the cores (at least 1), so request serving keeps the rest.</summary>
    [Range(1, 64, ErrorMessage = "Publish:MaxParallelLayers must be 1 to 64")]
    public int? MaxParallelLayers { get; set; }

    /// <summary>Compress small files on other cores, in batches, while a layer decompresses (off by default: more CPU, no wall-time gain measured on a loaded 2-core host).</summary>
    public bool PipelineSmallFiles { get; set; }

    public int EffectiveMaxParallelLayers => MaxParallelLayers ?? Math.Max(1, Environment.ProcessorCount / 2);
}
