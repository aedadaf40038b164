using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Catalogs;

/// <summary>A row of the <c>chunks</c> table: one piece of a chunked file, stored as object <c>…P</c>.</summary>
/// <param name="Offset">Offset of the chunk in the file.</param>
/// <param name="Size">Uncompressed size of the chunk.</param>
/// <param name="Hash">Hash of the chunk object.</param>
public sealed record ChunkRecord(long Offset, long Size, ContentHash Hash);
