using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Writing;

/// <summary>A regular file's content as stored: one whole object, or chunks.</summary>
/// <param name="Size">Content size (the catalog <c>size</c>).</param>
/// <param name="Hash">Hash of the whole-file object; null for a chunked file (no bulk object is written, as cvmfs's default).</param>
/// <param name="Chunks">The chunk rows of a chunked file (empty otherwise).</param>
/// <param name="Algorithm">Hash algorithm of the objects.</param>
/// <param name="Compression">Compression of the objects.</param>
public sealed record StoredFile(long Size, ContentHash? Hash, IReadOnlyList<ChunkRecord> Chunks, ContentHashAlgorithm Algorithm, ObjectCompression Compression)
{
    /// <summary>True when stored as chunks.</summary>
    public bool IsChunked => Chunks.Count > 0;

    /// <summary>The catalog flags for this content: File, plus Chunked, plus hash and compression bits.</summary>
    public EntryFlags Flags =>
        (IsChunked ? EntryFlags.File | EntryFlags.Chunked : EntryFlags.File).WithContentEncoding(Algorithm, Compression);
}
