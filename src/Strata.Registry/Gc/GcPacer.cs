using System.Diagnostics;

namespace Strata.Registry.Gc;

/// <summary>
/// Keeps a collection run busy at most a given share of the time, across all its loops: every step
/// that took <c>t</c> moves the shared resume time <c>t × (1 − share) / share</c> later, and every
/// loop waits for the resume time before its next step.
/// </summary>
/// <remarks>
/// Why: a collection competes with request serving for cores and, on SQLite, for the single writer.
/// Batches that give way to waiting pushes (see the SQLite store) remove the queueing; the pace bounds
/// what is left, the share of the write lock and of the CPU the collection takes from the registry,
/// at the price of a longer collection. Shared by the loops, since four loops each pausing half the
/// time would still keep the single writer busy all the time.
/// </remarks>
internal sealed class GcPacer(double share, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _resumeAt;

    /// <summary>Waits for the resume time, runs <paramref name="step"/>, then pushes the resume time back by its cost.</summary>
    public async Task<T> TimeAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        if (share >= 1)
        {
            return await step().ConfigureAwait(false);
        }

        TimeSpan wait;
        lock (_gate)
        {
            wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _resumeAt);
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var result = await step().ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        var pause = (long)((now - started) * ((1 - share) / share));
        lock (_gate)
        {
            _resumeAt = Math.Max(_resumeAt, now) + pause;
        }

        return result;
    }
}
