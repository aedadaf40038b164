namespace Strata.Cvmfs.Catalogs;

/// <summary>Lookups over a file's chunk list (rows of the <c>chunks</c> table, ordered by offset, contiguous).</summary>
public static class ChunkList
{
    /// <summary>
    /// Index of the chunk that holds byte <paramref name="position"/> of the file, by binary search;
    /// -1 when no chunk covers it (past the end, or a gap in a damaged list).
    /// </summary>
    public static int IndexAt(IReadOnlyList<ChunkRecord> chunks, long position)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        int low = 0, high = chunks.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var chunk = chunks[middle];
            if (position < chunk.Offset)
            {
                high = middle - 1;
            }
            else if (position >= chunk.Offset + chunk.Size)
            {
                low = middle + 1;
            }
            else
            {
                return middle;
            }
        }

        return -1;
    }
}
