namespace Strata.Storage.Drivers;

/// <summary>
/// The byte-level storage contract every backend implements (filesystem now, S3 later), modelled
/// on distribution's StorageDriver. Paths are relative, '/'-separated, and match
/// <see cref="StoragePath.IsValid"/>; everything above this contract (blobs, uploads, CernVM-FS
/// objects) is written once against it. Every driver must pass <c>BlobDriverConformanceTests</c>.
/// </summary>
public interface IBlobDriver
{
    /// <summary>Registration name, used in errors, logs and metrics (e.g. <c>filesystem</c>).</summary>
    string Name { get; }

    /// <summary>Size and modification time of a stored object, or null when it does not exist.</summary>
    Task<StoredObjectInfo?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Opens an object for reading from <paramref name="offset"/>. Throws
    /// <see cref="StoredObjectNotFoundException"/> when it does not exist, and
    /// <see cref="ArgumentOutOfRangeException"/> when the offset is past the end.
    /// </summary>
    Task<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a whole object atomically: readers see the old object or the complete new one,
    /// never a partial one. Replaces an existing object.
    /// </summary>
    Task PutAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a streaming writer. With <paramref name="append"/>, continues an object created by an
    /// earlier writer (a resumed upload); otherwise starts it empty. Data written is durable after
    /// <see cref="IBlobWriter.CommitAsync"/> and readable at <paramref name="path"/> from then on.
    /// </summary>
    Task<IBlobWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an object, replacing the destination atomically (rename on a filesystem, copy +
    /// delete on object stores). Throws <see cref="StoredObjectNotFoundException"/> when the
    /// source does not exist.
    /// </summary>
    Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Deletes an object or, recursively, every object under a prefix. Missing paths are not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Lists every object (recursively) under a prefix, as full paths, in no particular order.</summary>
    IAsyncEnumerable<StoredObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);
}
