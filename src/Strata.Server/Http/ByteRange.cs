namespace Strata.Server.Http;

/// <summary>
/// A single HTTP byte range resolved against a length (RFC 9110 §14.1.2): <c>a-b</c>, <c>a-</c>
/// and suffix <c>-n</c>. Multi-range requests are answered with the whole entity (allowed by the
/// RFC, and no registry client sends them).
/// </summary>
internal readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length - 1;

    /// <summary>
    /// Null when the header is absent or not a single byte range (serve everything); false
    /// when it is a byte range that cannot be satisfied (416).
    /// </summary>
    public static bool? TryResolve(string? header, long size, out ByteRange range)
    {
        range = new ByteRange(0, size);
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(','))
        {
            return null;
        }

        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!long.TryParse(last, out var suffix) || suffix <= 0 || size == 0)
            {
                return false;
            }

            suffix = Math.Min(suffix, size);
            range = new ByteRange(size - suffix, suffix);
            return true;
        }

        if (!long.TryParse(first, out var start) || start < 0 || start >= size)
        {
            return false;
        }

        var end = size - 1;
        if (!last.IsEmpty && (!long.TryParse(last, out end) || end < start))
        {
            return false;
        }

        range = new ByteRange(start, Math.Min(end, size - 1) - start + 1);
        return true;
    }
}
