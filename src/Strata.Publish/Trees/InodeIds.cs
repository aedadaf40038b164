namespace Strata.Publish.Trees;

/// <summary>Hands out process-unique inode ids for hard link identity across the trees of one operation.</summary>
public sealed class InodeIds
{
    private long _next;

    public long Next() => Interlocked.Increment(ref _next);
}
