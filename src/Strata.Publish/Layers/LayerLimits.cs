namespace Strata.Publish.Layers;

/// <summary>
/// Bounds on what one layer may make the publisher do. Defaults are far above what real images
/// need and far below what would hurt the server.
/// </summary>
public sealed record LayerLimits
{
    /// <summary>Largest PAX extended header or GNU long name/link record; real ones are a few hundred bytes.</summary>
    public int MaxMetadataRecordBytes { get; init; } = 1024 * 1024;

    /// <summary>Longest path or link target, in bytes (Linux PATH_MAX is 4096).</summary>
    public int MaxPathBytes { get; init; } = 4096;

    /// <summary>Most entries in one layer.</summary>
    public long MaxEntries { get; init; } = 5_000_000;

    /// <summary>Most uncompressed bytes in one layer (64 GiB).</summary>
    public long MaxUncompressedBytes { get; init; } = 64L * 1024 * 1024 * 1024;

    /// <summary>
    /// Largest expansion ratio (uncompressed / compressed) tolerated once the output passed
    /// <see cref="RatioCheckAfterBytes"/>. Real layers stay under ~20:1 overall; zero-filled files
    /// reach ~1000:1, so the check starts late and the ratio is generous.
    /// </summary>
    public double MaxCompressionRatio { get; init; } = 1000;

    /// <summary>Output size from which the ratio check applies (256 MiB).</summary>
    public long RatioCheckAfterBytes { get; init; } = 256L * 1024 * 1024;
}
