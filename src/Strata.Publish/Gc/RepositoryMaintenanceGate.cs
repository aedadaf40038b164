namespace Strata.Publish.Gc;

/// <summary>
/// Keeps garbage collection of a CernVM-FS repository and its publications apart: any number of
/// publications at once (shared), a collection alone (exclusive). A waiting collection holds back
/// new publications, so a steady stream of pushes cannot starve it.
/// </summary>
public sealed class RepositoryMaintenanceGate
{
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    private readonly SemaphoreSlim _room = new(1, 1);
    private readonly SemaphoreSlim _readers = new(1, 1);
    private int _readerCount;

    /// <summary>Enters as a publication; dispose to leave.</summary>
    public async Task<IAsyncDisposable> EnterSharedAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
        _turnstile.Release();
        await _readers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_readerCount == 0)
            {
                await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            _readerCount++;
        }
        finally
        {
            _readers.Release();
        }

        return new Exit(async () =>
        {
            await _readers.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (--_readerCount == 0)
                {
                    _room.Release();
                }
            }
            finally
            {
                _readers.Release();
            }
        });
    }

    /// <summary>Enters as a collection (alone); dispose to leave.</summary>
    public async Task<IAsyncDisposable> EnterExclusiveAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _turnstile.Release();
            throw;
        }

        return new Exit(() =>
        {
            _room.Release();
            _turnstile.Release();
            return Task.CompletedTask;
        });
    }

    private sealed class Exit(Func<Task> leave) : IAsyncDisposable
    {
        private int _left;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                await leave().ConfigureAwait(false);
            }
        }
    }
}
