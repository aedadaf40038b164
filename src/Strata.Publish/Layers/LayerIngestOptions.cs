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
}
