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

    /// <summary>
    /// zlib level of file objects, 1 (fastest) to 9 (default 6, what cvmfs uses). Every client reads
    /// every level; the level changes only speed, size and the object names of new content.
    /// </summary>
    public int CompressionLevel { get; init; } = ObjectEncoder.DefaultCompressionLevel;

    /// <summary>
    /// Store a file uncompressed (flag <see cref="ObjectCompression.None"/>) when its first 64 KiB
    /// do not shrink by 3 % at zlib level 1. Off by default (cvmfs deflates everything); clients read
    /// the compression from each file's catalog flags, so both kinds mix in one repository.
    /// </summary>
    public bool StoreIncompressibleUncompressed { get; init; }

    /// <summary>Content hash algorithm (SHA-1 by default, as the test repository; SHAKE-128 is what cvmfs now recommends).</summary>
    public ContentHashAlgorithm Algorithm { get; init; } = ContentHashAlgorithm.Sha1;
}
