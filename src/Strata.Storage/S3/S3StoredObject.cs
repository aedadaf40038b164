namespace Strata.Storage.S3;

/// <summary>One S3 object holding the bytes <c>[Offset, Offset + Size)</c> of a stored object.</summary>
internal sealed record S3Segment(string Key, long Offset, long Size, DateTimeOffset LastModified)
{
    public long End => Offset + Size;
}

/// <summary>
/// A stored object as the driver sees it: one plain S3 object (<see cref="Generation"/> null), or
/// the contiguous segments of a chain written by <see cref="S3BlobWriter"/>, head first.
/// </summary>
internal sealed record S3StoredObject(string Path, string? Generation, IReadOnlyList<S3Segment> Segments)
{
    public bool IsChain => Generation is not null;

    public S3Segment Head => Segments[0];

    public S3Segment Last => Segments[^1];

    public long Size => Last.End;

    public DateTimeOffset LastModified => Segments.Max(s => s.LastModified);
}
