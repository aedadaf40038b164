using System.Buffers;
using Strata.Cvmfs.Writing;

namespace Strata.Publish.Layers;

/// <summary>
/// Small files of one layer, their bytes back to back in one pooled buffer, compressed, hashed and
/// handed to the object sink together on another thread (<see cref="SmallFilePipeline"/>).
/// </summary>
/// <remarks>
/// A batch, not a file, is the unit handed over: one hand-off per file (a task, a buffer and a
/// stream each) cost more on 2 cores than the work it moved (docs/benchmarks.md).
/// </remarks>
internal sealed class SmallFileBatch
{
    /// <summary>Bytes of file content one batch holds at most.</summary>
    public const int Capacity = 1024 * 1024;

    /// <summary>Files one batch holds at most (bounds the tar entries waiting for it).</summary>
    public const int MaxFiles = 128;

    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(Capacity);
    private readonly List<(int Offset, int Length)> _files = new(MaxFiles);
    private StoredFile[]? _stored;
    private int _used;
    private bool _returned;

    /// <summary>The encoding of the batch once started; null while files are still being added.</summary>
    public Task? Encoding { get; private set; }

    /// <summary>True once every file of the batch is stored (or the encoding failed).</summary>
    public bool IsEncoded => Encoding is { IsCompleted: true };

    public int Count => _files.Count;

    public bool HasRoomFor(long size) => _files.Count < MaxFiles && _used + size <= Capacity;

    /// <summary>
    /// Reads the current tar entry's content (at most <paramref name="size"/> bytes; a truncated
    /// entry yields fewer, which the caller reports) and returns its index in the batch.
    /// </summary>
    public async ValueTask<int> AddAsync(Stream content, int size, CancellationToken cancellationToken)
    {
        var read = await content.ReadAtLeastAsync(_buffer.AsMemory(_used, size), size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        _files.Add((_used, read));
        _used += read;
        return _files.Count - 1;
    }

    /// <summary>Starts encoding the batch on the thread pool; the buffer goes back to the pool when done.</summary>
    public void Start(FileContentWriter writer, CancellationToken cancellationToken) =>
        Encoding = Task.Run(() => EncodeAsync(writer, cancellationToken), CancellationToken.None);

    /// <summary>Encodes the batch on the calling thread.</summary>
    public Task EncodeHere(FileContentWriter writer, CancellationToken cancellationToken) =>
        Encoding = EncodeAsync(writer, cancellationToken);

    /// <summary>The stored content of file <paramref name="index"/>; only after <see cref="Encoding"/> completed.</summary>
    public StoredFile Stored(int index) => _stored![index];

    /// <summary>Returns the buffer of a batch that was never started.</summary>
    public void Abandon()
    {
        if (Encoding is null)
        {
            Return();
        }
    }

    private async Task EncodeAsync(FileContentWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            var stored = new StoredFile[_files.Count];
            for (var i = 0; i < stored.Length; i++)
            {
                var (offset, length) = _files[i];
                stored[i] = await writer.WriteAsync(new MemoryStream(_buffer, offset, length, writable: false), cancellationToken).ConfigureAwait(false);
            }

            _stored = stored;
        }
        finally
        {
            Return();
        }
    }

    private void Return()
    {
        if (!_returned)
        {
            _returned = true;
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
