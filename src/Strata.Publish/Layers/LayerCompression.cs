namespace Strata.Publish.Layers;

/// <summary>How a layer blob is compressed, as detected from its first bytes.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
