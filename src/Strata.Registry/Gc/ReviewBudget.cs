namespace Strata.Registry.Gc;

/// <summary>How many reviews a run may still decide, shared by its loops.</summary>
internal sealed class ReviewBudget(int limit)
{
    private long _left = limit;
    private long _refused;

    /// <summary>Whether a loop was refused reviews it asked for (the run's limit stopped it).</summary>
    public bool Exhausted => Interlocked.Read(ref _refused) > 0;

    /// <summary>Takes up to <paramref name="wanted"/> reviews; returns how many were granted (0: the limit is reached).</summary>
    public int Take(int wanted)
    {
        while (true)
        {
            var left = Interlocked.Read(ref _left);
            if (left <= 0)
            {
                Interlocked.Increment(ref _refused);
                return 0;
            }

            var granted = (int)Math.Min(left, wanted);
            if (Interlocked.CompareExchange(ref _left, left - granted, left) == left)
            {
                return granted;
            }
        }
    }

    /// <summary>Gives back reviews taken but not used (fewer were due).</summary>
    public void Return(int unused) => Interlocked.Add(ref _left, unused);
}
