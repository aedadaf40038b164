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
    /// Compress small files on other cores while the layer is being decompressed. Off by default: on
    /// the 2-CPU test VM it halved throughput (22 vs 41 MB/s); worth measuring on many-core hosts.
    /// </summary>
    public bool PipelineSmallFiles { get; init; }
}
