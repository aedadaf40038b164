using System.Collections.Concurrent;

namespace Strata.Identity.Access;

/// <summary>
/// A small cache of identity lookups for the request path: an entry is used only while the
/// <see cref="IdentityGeneration"/> it was filled at is current and it is younger than
/// <c>duration</c> (zero turns caching off). Bounded: cleared when <see cref="MaxEntries"/> is reached.
/// </summary>
public sealed class StateCache<T>(IdentityGeneration generation, TimeSpan duration, TimeProvider time) where T : class
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (T Value, long Generation, DateTimeOffset At)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out T value)
    {
        value = null!;
        if (duration <= TimeSpan.Zero || !_entries.TryGetValue(key, out var entry)
            || entry.Generation != generation.Current || time.GetUtcNow() - entry.At >= duration)
        {
            return false;
        }

        value = entry.Value;
        return true;
    }

    /// <summary>Stores <paramref name="value"/> as of <paramref name="filledAt"/>, the generation read before the lookup began.</summary>
    public void Set(string key, T value, long filledAt)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = (value, filledAt, time.GetUtcNow());
    }
}
