using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Writing;

/// <summary>How <see cref="FileContentWriter"/> stores file content.</summary>
public sealed record FileContentOptions
{
    /// <summary>Content-defined chunking (cvmfs default on, 4/8/16 MiB); null stores every file whole.</summary>
    public ChunkingParameters? Chunking { get; init; } = ChunkingParameters.Default;

    /// <summary>Object compression (zlib by default).</summary>
    public ObjectCompression Compression { get; init; } = ObjectCompression.Zlib;

    /// <summary>Content hash algorithm (SHA-1 by default, as the test repository; SHAKE-128 is what cvmfs now recommends).</summary>
    public ContentHashAlgorithm Algorithm { get; init; } = ContentHashAlgorithm.Sha1;
}
