namespace Strata.Registry.Uploads;

/// <summary>
/// The inclusive byte range a PATCH claims (<c>Content-Range: start-end</c>; distribution also
/// accepts a <c>bytes </c> or <c>bytes=</c> prefix and a <c>/total</c> suffix, so do we).
/// </summary>
public readonly record struct ChunkRange(long Start, long End)
{
    public long Length => End - Start + 1;

    public static bool TryParse(string? header, out ChunkRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var text = header.Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..].TrimStart(' ', '=');
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        var dash = text.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out var start)
            || !long.TryParse(text.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var end)
            || end < start)
        {
            return false;
        }

        range = new ChunkRange(start, end);
        return true;
    }
}
