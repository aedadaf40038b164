namespace Strata.Registry.Gc;

/// <summary>How many reviews a run may still decide, shared by its loops.</summary>
internal sealed class ReviewBudget(int limit)
{
    private long _left = limit;

    public bool Exhausted => Interlocked.Read(ref _left) < 0;

    public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
}
