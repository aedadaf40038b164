using System.Diagnostics;

namespace Strata.Registry.Gc;

/// <summary>
/// Keeps one collection loop busy at most a given share of the time: after each step that took
/// <c>t</c>, it pauses <c>t × (1 − share) / share</c>. Pauses are owed and paid in steps of at
/// least a millisecond, so short steps are paced as exactly as long ones.
/// </summary>
/// <remarks>
/// Why: a collection competes with request serving for cores and, on SQLite, for the single writer.
/// Batches that give way to waiting pushes (see the SQLite store) remove the queueing; the pace bounds
/// what is left, the CPU the collection takes from the registry, at the price of a longer collection.
/// </remarks>
internal sealed class GcPacer(double share, TimeProvider time)
{
    private static readonly TimeSpan MinimumPause = TimeSpan.FromMilliseconds(1);
    private TimeSpan _owed;

    /// <summary>Runs <paramref name="step"/>, then pauses as the share requires.</summary>
    public async Task<T> TimeAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await step().ConfigureAwait(false);
        if (share < 1)
        {
            _owed += Stopwatch.GetElapsedTime(started) * ((1 - share) / share);
            if (_owed >= MinimumPause)
            {
                var pause = _owed;
                _owed = TimeSpan.Zero;
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }
}
