using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.Objects;
using Strata.Publish.Layers;
using Strata.Publish.Repository;
using Strata.Publish.Storage;

namespace Strata.Publish.Publishing;

/// <summary>Settings of <see cref="ImagePublisher"/>.</summary>
public sealed record ImagePublisherOptions
{
    /// <summary>Fully qualified CernVM-FS repository name, e.g. <c>unpacked.example.org</c>.</summary>
    public required string RepositoryName { get; init; }

    /// <summary>The registry's host name as clients use it; public names are <c>/&lt;host&gt;/&lt;repo&gt;:&lt;tag&gt;</c>.</summary>
    public required string RegistryHost { get; init; }

    /// <summary>Local scratch space (catalog builds and cache, spool files).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Object hash algorithm (SHA-1 by default).</summary>
    public ContentHashAlgorithm Algorithm { get; init; } = ContentHashAlgorithm.Sha1;

    /// <summary>
    /// Compression of file objects: zlib (level 6, the zlib default cvmfs uses, so small objects are
    /// byte-identical to cvmfs's) or none. Catalogs are always zlib.
    /// </summary>
    public ObjectCompression Compression { get; init; } = ObjectCompression.Zlib;

    /// <summary>
    /// zlib level of file objects, 1 (fastest) to 9; default 6, cvmfs's. Compression dominates
    /// ingest time at 6 (see docs/benchmarks.md, "Publication"); every client reads every level.
    /// Catalogs, history and certificate stay at 6 (small, written once per revision).
    /// </summary>
    public int CompressionLevel { get; init; } = ObjectEncoder.DefaultCompressionLevel;

    /// <summary>
    /// Store files whose first 64 KiB do not compress (archives, media, packed data) uncompressed
    /// instead of deflating them for nothing (see <see cref="Cvmfs.Writing.FileContentOptions.StoreIncompressibleUncompressed"/>).
    /// </summary>
    public bool StoreIncompressibleUncompressed { get; init; }

    /// <summary>File chunking (cvmfs default 4/8/16 MiB); null stores every file whole.</summary>
    public ChunkingParameters? Chunking { get; init; } = ChunkingParameters.Default;

    /// <summary>Largest catalog before subdirectories are split into nested catalogs.</summary>
    public int MaxEntriesPerCatalog { get; init; } = 200_000;

    /// <summary>Bounds on one layer (size, ratio, entries, path lengths).</summary>
    public LayerLimits LayerLimits { get; init; } = new();

    /// <summary>
    /// Compress small files on other cores, in batches, while a layer is being decompressed (see
    /// <see cref="LayerIngestOptions.PipelineSmallFiles"/>). Off by default.
    /// </summary>
    public bool PipelineSmallFiles { get; init; }

    /// <summary>Layers ingested at once by one publication.</summary>
    public int MaxParallelLayers { get; init; } = 2;

    /// <summary>Largest image config read (for the platform of a single-platform image).</summary>
    public int MaxConfigBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Manifest TTL in seconds.</summary>
    public long TtlSeconds { get; init; } = 240;

    public DriverObjectSinkOptions Sink { get; init; } = new();

    public RepositoryPublisherOptions ToRepositoryOptions() => new()
    {
        RepositoryName = RepositoryName,
        RegistryHost = RegistryHost,
        WorkDirectory = WorkDirectory,
        Algorithm = Algorithm,
        MaxEntriesPerCatalog = MaxEntriesPerCatalog,
        TtlSeconds = TtlSeconds,
        Sink = Sink,
    };
}
