using System.Collections.Concurrent;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Writing;
using Strata.Storage.Drivers;

namespace Strata.Publish.Storage;

/// <summary>
/// Stores a CernVM-FS repository's objects in the registry's blob driver, under
/// <c>cvmfs/&lt;fqrn&gt;/</c> (see <see cref="CvmfsStoragePaths"/>).
/// </summary>
/// <remarks>
/// <para>
/// Content addressing: an object whose path exists is not written again (a stat first, and within
/// one sink every name is written at most once).
/// </para>
/// <para>
/// Durability and speed. Every object is written with the driver's atomic, durable Put (temp
/// file + fsync + rename on a filesystem, one PUT on S3), so an object that exists is always whole:
/// "exists" is what the dedup above trusts, also after a power loss, which rules out writing
/// objects without fsync and syncing later. What keeps thousands of small files from being paced
/// by one fsync each is that <see cref="IPendingObject.CommitAsync"/> only queues the write:
/// up to <see cref="DriverObjectSinkOptions.MaxConcurrentWrites"/> Puts run at once in the
/// background, their fsyncs share journal commits, and the producer (decompression, chunking,
/// zlib) never waits for the disk unless the queue is full. Nothing is reachable until the
/// manifest names it, and <see cref="WriteRootFileAsync"/> first waits for every queued write
/// (<see cref="FlushAsync"/>), so the manifest, written last, can only name complete objects.
/// </para>
/// </remarks>
public sealed class DriverObjectSink : IObjectSink
{
    private readonly IBlobDriver _driver;
    private readonly string _prefix;
    private readonly DriverObjectSinkOptions _options;
    private readonly string _spoolDirectory;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Task> _writes = new(StringComparer.Ordinal);
    private long _objectsStored, _bytesStored, _objectsDeduplicated, _bytesDeduplicated;

    public DriverObjectSink(IBlobDriver driver, string repositoryName, DriverObjectSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _driver = driver;
        _prefix = CvmfsStoragePaths.Prefix(repositoryName);
        _options = options ?? new DriverObjectSinkOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentWrites, 1);
        _spoolDirectory = _options.SpoolDirectory ?? Path.Combine(Path.GetTempPath(), "strata-spool");
        _slots = new SemaphoreSlim(_options.MaxConcurrentWrites, _options.MaxConcurrentWrites);
    }

    /// <summary>Counters so far.</summary>
    public ObjectSinkCounters Counters => new(
        Interlocked.Read(ref _objectsStored), Interlocked.Read(ref _bytesStored),
        Interlocked.Read(ref _objectsDeduplicated), Interlocked.Read(ref _bytesDeduplicated));

    /// <inheritdoc />
    public Task<IPendingObject> CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfAnyWriteFailed();
        return Task.FromResult<IPendingObject>(new PendingObject(this, new SpoolBuffer(_options.MemorySpoolBytes, _spoolDirectory)));
    }

    /// <inheritdoc />
    public async Task WriteRootFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (name.Length == 0 || name.Contains('/') || name is "." or "..")
        {
            throw new ArgumentException($"Not a root file name: '{name}'.", nameof(name));
        }

        // The invariant that makes a crash harmless: nothing the manifest could name is missing.
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await _driver.PutAsync(_prefix + name, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every queued object is stored; throws the first write failure.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = _writes.Values.Where(t => !t.IsCompleted).ToArray();
            if (pending.Length == 0)
            {
                break;
            }

            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        ThrowIfAnyWriteFailed();
    }

    private void ThrowIfAnyWriteFailed()
    {
        foreach (var write in _writes.Values)
        {
            if (write.IsFaulted)
            {
                write.GetAwaiter().GetResult();
            }
        }
    }

    private async Task QueueAsync(ObjectId id, SpoolBuffer buffer, CancellationToken cancellationToken)
    {
        var path = _prefix + id.Path;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.TryAdd(path, done.Task))
        {
            // Same name, same bytes: already written (or being written) by this sink.
            Interlocked.Increment(ref _objectsDeduplicated);
            Interlocked.Add(ref _bytesDeduplicated, buffer.Length);
            await buffer.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _writes.TryRemove(path, out _);
            done.SetException(e);
            await buffer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var length = buffer.Length;
                if (await _driver.StatAsync(path, CancellationToken.None).ConfigureAwait(false) is not null)
                {
                    Interlocked.Increment(ref _objectsDeduplicated);
                    Interlocked.Add(ref _bytesDeduplicated, length);
                }
                else
                {
                    // Writes are not cancelled half way: a queued object is either stored or failed.
                    var content = buffer.OpenRead();
                    await using (content.ConfigureAwait(false))
                    {
                        await _driver.PutAsync(path, content, CancellationToken.None).ConfigureAwait(false);
                    }

                    Interlocked.Increment(ref _objectsStored);
                    Interlocked.Add(ref _bytesStored, length);
                }

                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
            finally
            {
                await buffer.DisposeAsync().ConfigureAwait(false);
                _slots.Release();
            }
        }, CancellationToken.None);
    }

    private sealed class PendingObject(DriverObjectSink sink, SpoolBuffer buffer) : IPendingObject
    {
        private bool _done;

        public Stream Content => buffer;

        public Task CommitAsync(ObjectId id, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            _done = true;
            return sink.QueueAsync(id, buffer, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                await buffer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
