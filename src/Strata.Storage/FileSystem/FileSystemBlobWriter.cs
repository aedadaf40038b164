using Strata.Storage.Drivers;

namespace Strata.Storage.FileSystem;

/// <summary>
/// A writer that appends straight to the object's own file, for upload data. Unlike
/// <see cref="FileSystemBlobDriver.PutAsync"/> it is not atomic: bytes are visible as they are
/// written, which is what a resumable upload wants (a chunk is never copied twice). Committed
/// registry objects never come from here: the upload layer moves verified upload data into place
/// with <see cref="FileSystemBlobDriver.MoveAsync"/>, a rename of fully synced data.
/// <para>
/// Crash behaviour: bytes up to the last <see cref="CommitAsync"/> are on disk. After a crash the
/// file may also hold trailing bytes written after that commit (or a power loss may drop them),
/// so a resuming caller must trust <see cref="IBlobDriver.StatAsync"/> / <see cref="Size"/>, not a
/// length it remembered.
/// </para>
/// <para>
/// <see cref="CommitAsync"/> and <see cref="CancelAsync"/> end the writer, as in distribution's
/// FileWriter and as an S3 multipart upload must: a further write throws.
/// <see cref="DisposeAsync"/> without either just closes the file and keeps what was written.
/// </para>
/// </summary>
internal sealed class FileSystemBlobWriter : IBlobWriter
{
    private readonly FileStream _file;
    private readonly string _path;
    private readonly string _existingAncestor;
    private long _size;
    private State _state;

    private FileSystemBlobWriter(FileStream file, string path, string existingAncestor)
    {
        _file = file;
        _path = path;
        _existingAncestor = existingAncestor;
        _size = file.Length;
    }

    private enum State
    {
        Open,
        Committed,
        Cancelled,
    }

    public long Size => _size;

    /// <summary>Opens <paramref name="fullPath"/>, creating it and its parents when missing.</summary>
    public static FileSystemBlobWriter Open(string fullPath, bool append)
    {
        var existingAncestor = DirectoryDurability.CreateParents(fullPath);
        var file = new FileStream(fullPath, new FileStreamOptions
        {
            // Append is O_APPEND: every write lands at the end even if the file grew meanwhile.
            Mode = append ? FileMode.Append : FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            // Not Asynchronous: writes run inline, for the reason PageCacheFileStream gives for reads
            // (a buffered write into the page cache is a memcpy; a pool hop per chunk cost more).
            Options = FileOptions.None,
            // Callers already write in large pooled chunks; a second buffer would only copy.
            BufferSize = 0,
        });
        return new FileSystemBlobWriter(file, fullPath, existingAncestor);
    }

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        cancellationToken.ThrowIfCancellationRequested();
        _file.Write(data.Span);
        _size += data.Length;
        return Task.CompletedTask;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        cancellationToken.ThrowIfCancellationRequested();
        _file.Flush(flushToDisk: true);
        DirectoryDurability.FlushParents(_path, _existingAncestor);
        _state = State.Committed;
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        if (_state == State.Committed)
        {
            throw new InvalidOperationException("the writer was already committed");
        }

        _state = State.Cancelled;
        await _file.DisposeAsync().ConfigureAwait(false);
        File.Delete(_path);
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    private void ThrowIfEnded()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException($"the writer was already {(_state == State.Committed ? "committed" : "cancelled")}");
        }
    }
}
