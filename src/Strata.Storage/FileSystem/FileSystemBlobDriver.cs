using System.Buffers;
using System.IO.Enumeration;
using System.Runtime.CompilerServices;
using Strata.Storage.Drivers;

namespace Strata.Storage.FileSystem;

/// <summary>
/// Stores objects as files under a root directory, one file per path (<c>a/b/c</c> is
/// <c>&lt;root&gt;/a/b/c</c>). The single-node driver: a laptop, or one server with a local disk.
/// <code>
/// &lt;root&gt;/
///   _tmp/&lt;random&gt;        whole-object writes in progress, renamed into place when complete
///   blobs/…, uploads/…   objects, at their own paths (see BlobPaths)
/// </code>
/// <para>
/// Atomicity: <see cref="PutAsync"/> writes a temporary file in <c>_tmp</c> (same filesystem, so
/// the rename is atomic), fsyncs it, then renames it over the destination; <see cref="MoveAsync"/>
/// is one rename. Readers see the old object or the complete new one, and a crash at any instant
/// leaves at worst a stray file in <c>_tmp</c> (removed by <see cref="CleanTemporaryFilesAsync"/>),
/// never a partial object. Writers from <see cref="OpenWriterAsync"/> write in place and are meant
/// for upload data only; see <see cref="FileSystemBlobWriter"/>.
/// </para>
/// <para>
/// <c>_tmp</c> is reserved: paths under it are rejected, and <see cref="ListAsync"/> never reaches
/// it because a prefix is always a real path below the root. <see cref="DeleteAsync"/> leaves
/// emptied parent directories in place: pruning them would race with a concurrent write creating
/// a file in the same directory, and the layout keeps their number bounded (256 fan-out folders
/// per digest algorithm; upload folders are deleted whole).
/// </para>
/// </summary>
public sealed class FileSystemBlobDriver : IBlobDriver
{
    /// <summary>Name of the reserved folder holding temporary files, directly under the root.</summary>
    public const string TemporaryFolder = "_tmp";

    // 80 KiB, as Stream.CopyToAsync: under the large-object-heap threshold, rented from the pool.
    private const int CopyBufferSize = 81_920;

    private readonly string _root;
    private readonly string _temporaryDirectory;

    public FileSystemBlobDriver(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        _temporaryDirectory = Path.Join(_root, TemporaryFolder);
    }

    public string Name => "filesystem";

    /// <summary>The absolute root directory objects are stored under.</summary>
    public string RootDirectory => _root;

    public Task<StoredObjectInfo?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Resolve(path));
        cancellationToken.ThrowIfCancellationRequested();

        // A directory is a prefix, not an object, just as on an object store.
        return Task.FromResult(file.Exists ? new StoredObjectInfo(path, file.Length, file.LastWriteTimeUtc) : null);
    }

    public Task<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var fullPath = Resolve(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();

        FileStream stream;
        try
        {
            stream = new PageCacheFileStream(fullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                // Never block a Put renaming over this file or a Delete removing it (Windows).
                Share = FileShare.ReadWrite | FileShare.Delete,
                // Not Asynchronous: reads run inline (see PageCacheFileStream for why).
                Options = FileOptions.SequentialScan,
                // Callers copy with their own pooled buffers; a FileStream buffer would only copy twice.
                BufferSize = 0,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException
                                  || (e is UnauthorizedAccessException && Directory.Exists(fullPath)))
        {
            throw new StoredObjectNotFoundException(Name, path);
        }

        if (offset > stream.Length)
        {
            var length = stream.Length;
            stream.Dispose();
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offset is past the end of '{path}' ({length} bytes)");
        }

        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(stream);
    }

    public async Task PutAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var destination = Resolve(path);
        ArgumentNullException.ThrowIfNull(content);

        Directory.CreateDirectory(_temporaryDirectory);
        var temporary = Path.Join(_temporaryDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            var file = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                // Not Asynchronous: writes run inline, as in FileSystemBlobWriter (on Unix an
                // asynchronous FileStream write is a blocking pwrite queued to the thread pool).
                Options = FileOptions.None,
                BufferSize = 0,
            });
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                using (file)
                {
                    // Reads stay asynchronous (the source may be a request body); writes are a
                    // memcpy into the page cache.
                    int read;
                    while ((read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        file.Write(buffer, 0, read);
                    }

                    // Data must be on disk before the rename, or a power loss could leave the new
                    // name pointing at an empty or partial file.
                    file.Flush(flushToDisk: true);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var existingAncestor = DirectoryDurability.CreateParents(destination);
            File.Move(temporary, destination, overwrite: true);
            DirectoryDurability.FlushParents(destination, existingAncestor);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    public Task<IBlobWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        var fullPath = Resolve(path);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IBlobWriter>(FileSystemBlobWriter.Open(fullPath, append));
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        var source = Resolve(sourcePath);
        var destination = Resolve(destinationPath);
        cancellationToken.ThrowIfCancellationRequested();

        // File.Exists is false for a directory too: a prefix cannot be moved, only an object.
        if (!File.Exists(source))
        {
            throw new StoredObjectNotFoundException(Name, sourcePath);
        }

        var existingAncestor = DirectoryDurability.CreateParents(destination);
        try
        {
            File.Move(source, destination, overwrite: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && !File.Exists(source))
        {
            // Deleted or moved away by someone else since the check above.
            throw new StoredObjectNotFoundException(Name, sourcePath);
        }

        DirectoryDurability.FlushParents(destination, existingAncestor);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = Resolve(path);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (Directory.Exists(fullPath))
            {
                Directory.Delete(fullPath, recursive: true);
            }
            else
            {
                File.Delete(fullPath);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone (or a parent is): deleting what is missing is not an error.
        }

        return Task.CompletedTask;
    }

    public IAsyncEnumerable<StoredObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        // Validated here rather than in the iterator so a bad prefix fails at the call.
        var directory = Resolve(prefix);
        return ListFilesAsync(directory, cancellationToken);
    }

    /// <summary>
    /// Removes the temporary files that writes interrupted by a crash left in <c>_tmp</c>. Call it
    /// at start, before serving. With <paramref name="minimumAge"/> zero everything goes, which is
    /// right when this process is the only writer; when several processes share the root (a
    /// network filesystem), pass an age longer than any write takes, so an in-flight Put of another
    /// process keeps its file.
    /// </summary>
    /// <returns>How many entries were removed.</returns>
    public Task<int> CleanTemporaryFilesAsync(TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumAge, TimeSpan.Zero);
        var folder = new DirectoryInfo(_temporaryDirectory);
        if (!folder.Exists)
        {
            return Task.FromResult(0);
        }

        var cutoff = DateTime.UtcNow - minimumAge;
        var removed = 0;
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.LastWriteTimeUtc > cutoff)
            {
                continue;
            }

            try
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                removed++;
            }
            catch (DirectoryNotFoundException)
            {
                // Removed concurrently: nothing left to clean.
            }
        }

        return Task.FromResult(removed);
    }

    private async IAsyncEnumerable<StoredObjectInfo> ListFilesAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            // Dot-files are hidden on Unix; they are objects like any other here.
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
        };
        IEnumerator<StoredObjectInfo>? enumerator = null;
        try
        {
            // The enumerable opens the directory as it is constructed, so this is where a missing
            // prefix shows; a subfolder vanishing later (a concurrent delete) is skipped by .NET.
            var files = new FileSystemEnumerable<StoredObjectInfo>(
                directory,
                (ref FileSystemEntry entry) => new StoredObjectInfo(ToStoragePath(entry.ToFullPath()), entry.Length, entry.LastWriteTimeUtc),
                options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
            };
            enumerator = files.GetEnumerator();
        }
        catch (DirectoryNotFoundException)
        {
            // A missing prefix (or one naming an object, not a folder: ENOTDIR) lists nothing.
        }

        if (enumerator is null)
        {
            yield break;
        }

        using (enumerator)
        {
            var count = 0;
            while (enumerator.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return enumerator.Current;

                // Enumeration is synchronous; give the thread back now and then on huge trees.
                if (++count % 1024 == 0)
                {
                    await Task.Yield();
                }
            }
        }
    }

    private static void DeleteQuietly(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // The original failure matters more; CleanTemporaryFilesAsync removes what stays.
        }
    }

    private string ToStoragePath(string fullPath)
    {
        var relative = fullPath[(_root.Length + 1)..];
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>Validates a storage path and maps it below the root; nothing touches the disk before this.</summary>
    private string Resolve(string path)
    {
        StoragePath.Validate(path);
        if (path.Equals(TemporaryFolder, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(TemporaryFolder + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"storage path '{path}' is reserved for temporary files", nameof(path));
        }

        return Path.Join(_root, Path.DirectorySeparatorChar == '/' ? path : path.Replace('/', Path.DirectorySeparatorChar));
    }
}
