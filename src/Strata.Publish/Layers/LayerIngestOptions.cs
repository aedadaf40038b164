using Strata.Cvmfs.Writing;
using Strata.Publish.Trees;

namespace Strata.Publish.Layers;

/// <summary>How layers are ingested.</summary>
public sealed record LayerIngestOptions
{
    public LayerLimits Limits { get; init; } = new();

    /// <summary>Chunking, compression and hash algorithm of file objects.</summary>
    public FileContentOptions Content { get; init; } = new();

    public required CatalogWriteOptions Catalogs { get; init; }

    /// <summary>
    /// Compress small files on other cores, in batches (<see cref="SmallFilePipeline"/>), while the
    /// layer is being decompressed. Off by default: on the loaded 2-CPU test VM it cost 5–15 % more
    /// CPU for no measurable gain in wall time (docs/benchmarks.md, "Ingest, session 4"); to be
    /// decided on a quiet machine and on many-core hosts.
    /// </summary>
    public bool PipelineSmallFiles { get; init; }
}
