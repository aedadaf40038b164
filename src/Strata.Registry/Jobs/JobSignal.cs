namespace Strata.Registry.Jobs;

/// <summary>
/// Wakes the outbox dispatcher and the job workers right after a change, so a push is picked up in
/// milliseconds instead of at the next poll. A lost signal only costs one poll interval.
/// </summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _outbox = new(0, 1);
    private readonly SemaphoreSlim _jobs = new(0, 1);

    public void OutboxChanged() => Release(_outbox);

    public void JobQueued() => Release(_jobs);

    public Task<bool> WaitOutboxAsync(TimeSpan timeout, CancellationToken cancellationToken) => _outbox.WaitAsync(timeout, cancellationToken);

    public Task<bool> WaitJobAsync(TimeSpan timeout, CancellationToken cancellationToken) => _jobs.WaitAsync(timeout, cancellationToken);

    private static void Release(SemaphoreSlim semaphore)
    {
        try
        {
            semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }
}
