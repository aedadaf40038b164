using System.Collections.Concurrent;
using Strata.Oci.Digests;

namespace Strata.Registry.Uploads;

/// <summary>
/// The <see cref="UploadState"/> of every upload this process has touched recently. Entries unused
/// for an hour are dropped (their hash is rebuilt from storage if the client comes back), so
/// abandoned uploads cost no memory for long.
/// </summary>
public sealed class UploadStates(TimeProvider time)
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<Guid, UploadState> _states = new();
    private long _lastPrune;

    internal async Task<UploadState> EnterAsync(Guid id, CancellationToken cancellationToken)
    {
        Prune();
        var state = _states.GetOrAdd(id, static _ => new UploadState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        state.LastUsedTicks = time.GetTimestamp();
        return state;
    }

    internal void Exit(UploadState state) => state.Gate.Release();

    /// <summary>Remembers which algorithm a new session hashes with (sha256 unless the client asked otherwise).</summary>
    internal void Start(Guid id, DigestAlgorithm algorithm)
    {
        var state = _states.GetOrAdd(id, static _ => new UploadState());
        state.Reset(algorithm);
        state.LastUsedTicks = time.GetTimestamp();
    }

    internal void Remove(Guid id)
    {
        if (_states.TryRemove(id, out var state))
        {
            state.Invalidate();
        }
    }

    private void Prune()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastPrune);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref _lastPrune, now, last) != last)
        {
            return;
        }

        foreach (var (id, state) in _states)
        {
            if (time.GetElapsedTime(state.LastUsedTicks, now) > IdleLimit && state.Gate.CurrentCount == 1)
            {
                _states.TryRemove(id, out _);
            }
        }
    }
}
