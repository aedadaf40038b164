using System.Diagnostics;

namespace Strata.Metadata.Sqlite;

/// <summary>
/// What one item of a step costs (Stopwatch ticks of wall time), smoothed over the last few
/// measurements, so that a batch holding SQLite's writer can tell before starting more work whether
/// it still fits in its hold budget. Wall time on purpose: on a loaded machine steps take longer and
/// batches get smaller, which is what keeps a waiting push's wait bounded.
/// </summary>
internal sealed class StepCost(TimeSpan initial)
{
    private long _ticks = Math.Max(1, (long)(initial.TotalSeconds * Stopwatch.Frequency));

    /// <summary>How many items fit in <paramref name="remainingTicks"/> at the current estimate.</summary>
    public long Fitting(long remainingTicks) => remainingTicks <= 0 ? 0 : remainingTicks / Volatile.Read(ref _ticks);

    /// <summary>Takes a measurement of <paramref name="items"/> items that took <paramref name="elapsedTicks"/>; a quarter's weight.</summary>
    public void Record(long elapsedTicks, long items)
    {
        if (items > 0)
        {
            var sample = Math.Max(1, elapsedTicks / items);
            Volatile.Write(ref _ticks, Math.Max(1, ((Volatile.Read(ref _ticks) * 3) + sample) / 4));
        }
    }
}
