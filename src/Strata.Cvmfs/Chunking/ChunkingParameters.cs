namespace Strata.Cvmfs.Chunking;

/// <summary>
/// Content-defined chunking sizes. The defaults are cvmfs's (<c>CVMFS_MIN/AVG/MAX_CHUNK_SIZE</c> in
/// cvmfs_server_coda.sh): 4, 8 and 16 MiB.
/// </summary>
public sealed record ChunkingParameters
{
    /// <summary>The xor32 rolling window: a byte stops influencing the checksum 32 bytes later.</summary>
    public const int WindowSize = 32;

    public ChunkingParameters(int minSize, int averageSize, int maxSize)
    {
        // Same preconditions as cvmfs's Xor32Detector constructor.
        ArgumentOutOfRangeException.ThrowIfLessThan(minSize, WindowSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(averageSize, minSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxSize, averageSize);
        MinSize = minSize;
        AverageSize = averageSize;
        MaxSize = maxSize;
    }

    /// <summary>4 / 8 / 16 MiB.</summary>
    public static ChunkingParameters Default { get; } = new(4 * 1024 * 1024, 8 * 1024 * 1024, 16 * 1024 * 1024);

    /// <summary>No chunk (but the last) is smaller; files of at most this size are never chunked.</summary>
    public int MinSize { get; }

    /// <summary>Target average chunk size; sets the cut probability.</summary>
    public int AverageSize { get; }

    /// <summary>A cut is forced at this size.</summary>
    public int MaxSize { get; }
}
