using Strata.Cvmfs.Writing;

namespace Strata.Publish.Layers;

/// <summary>
/// Moves the compression and hashing of a layer's small files off the thread that decompresses
/// and parses the tar: files up to <see cref="MaxFileBytes"/> are copied into a
/// <see cref="SmallFileBatch"/>, and each full batch is encoded on the thread pool while the next
/// one fills. At most <see cref="MaxBatchesInFlight"/> batches are handed over at once; beyond
/// that the producer encodes the batch itself, so memory stays below (in flight + 1) ×
/// <see cref="SmallFileBatch.Capacity"/> and neither side idles while the other has work.
/// </summary>
internal sealed class SmallFilePipeline(FileContentWriter writer, CancellationToken cancellationToken)
{
    /// <summary>Largest file sent through a batch; larger files are encoded by the caller as they stream.</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>Batches handed to other threads at once: one per other core, and one waiting.</summary>
    public static readonly int MaxBatchesInFlight = Math.Max(1, Environment.ProcessorCount - 1) + 1;

    /// <summary>Tar entries that can be waiting for their batches (the filling one included).</summary>
    public static readonly int MaxWaitingEntries = (MaxBatchesInFlight + 1) * SmallFileBatch.MaxFiles * 2;

    private readonly Queue<SmallFileBatch> _started = new();
    private SmallFileBatch? _filling;

    /// <summary>Adds the current entry's content to the filling batch; returns the batch and the file's index in it.</summary>
    public async ValueTask<(SmallFileBatch Batch, int Index)> AddAsync(Stream content, int size)
    {
        if (_filling is not null && !_filling.HasRoomFor(size))
        {
            await StartFillingAsync().ConfigureAwait(false);
        }

        _filling ??= new SmallFileBatch();
        var index = await _filling.AddAsync(content, size, cancellationToken).ConfigureAwait(false);
        return (_filling, index);
    }

    /// <summary>Starts encoding <paramref name="batch"/> if it is the one still filling (someone is about to wait for it).</summary>
    public async ValueTask EnsureStartedAsync(SmallFileBatch batch)
    {
        if (ReferenceEquals(batch, _filling))
        {
            await StartFillingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>After a failure: lets started batches finish (nothing keeps running behind the error) and frees the filling one.</summary>
    public async Task AbandonAsync()
    {
        _filling?.Abandon();
        _filling = null;
        foreach (var batch in _started)
        {
            // The first failure is the one reported.
            await batch.Encoding!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _started.Clear();
    }

    private async ValueTask StartFillingAsync()
    {
        var batch = _filling!;
        _filling = null;
        while (_started.Count > 0 && _started.Peek().IsEncoded)
        {
            _started.Dequeue();
        }

        if (_started.Count >= MaxBatchesInFlight)
        {
            // The other cores are behind: encode this batch here instead of waiting for them, so
            // the work splits itself between the tar reader and the helpers whatever the file mix.
            // Failures surface where the entries are added to the tree, in tar order.
            await batch.EncodeHere(writer, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        batch.Start(writer, cancellationToken);
        _started.Enqueue(batch);
    }
}
