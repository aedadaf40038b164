namespace Strata.Server.Publication;

/// <summary>
/// Bounds the publications running at once in this process (<c>Publish:MaxConcurrentPublications</c>,
/// default 1). Publication unpacks and re-compresses whole layers in the server process; with
/// <c>Jobs:Concurrency</c> workers all publishing, the registry benchmark saw pushes 4× slower and a
/// manifest GET p99 of 685 ms. One at a time (each using <c>Publish:MaxParallelLayers</c>, half the
/// cores by default) leaves the other cores to request serving; a waiting job keeps its lease.
/// </summary>
public sealed class PublicationGate(int maxConcurrent) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, maxConcurrent), Math.Max(1, maxConcurrent));

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
