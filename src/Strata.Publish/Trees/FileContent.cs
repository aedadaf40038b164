using Strata.Cvmfs.Catalogs;
using Strata.Cvmfs.Objects;

namespace Strata.Publish.Trees;

/// <summary>
/// A regular file's stored content as catalog rows reference it: a whole object, or chunks. Shared
/// by every tree node that has this content, so merging trees never touches file data.
/// </summary>
/// <param name="Hash">Whole-object hash (null for a chunked file).</param>
/// <param name="Chunks">Chunk rows (empty unless chunked).</param>
/// <param name="Flags">The row's content flags: File (+ Chunked) plus the hash and compression bits.</param>
public sealed record FileContent(ContentHash? Hash, IReadOnlyList<ChunkRecord> Chunks, EntryFlags Flags);
