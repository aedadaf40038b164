namespace Strata.Cvmfs.Reading;

/// <summary>Limits and scratch space for <see cref="ObjectFetcher"/>.</summary>
public sealed record ObjectFetcherOptions
{
    /// <summary>Objects up to this many stored bytes are verified in memory; larger ones in a temporary file.</summary>
    public int MemorySpoolThreshold { get; init; } = 1024 * 1024;

    /// <summary>Directory for spool files of large objects.</summary>
    public string TemporaryDirectory { get; init; } = Path.GetTempPath();
}
