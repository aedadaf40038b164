using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Writing;

/// <summary>
/// Objects in a Stratum 0 directory: written to <c>data/txn/</c>, flushed to disk, then renamed to
/// <c>data/xx/…</c> (cvmfs's local uploader does the same). A crash leaves at most debris in
/// <c>data/txn/</c>, which <see cref="CleanTemporaryFiles"/> removes.
/// </summary>
public sealed class FileSystemObjectSink : IObjectSink
{
    private readonly string _root;
    private readonly string _transactionDirectory;

    public FileSystemObjectSink(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        _transactionDirectory = Path.Combine(_root, "data", "txn");
        Directory.CreateDirectory(_transactionDirectory);
    }

    /// <summary>The repository root directory.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public Task<IPendingObject> CreateAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var temporary = Path.Combine(_transactionDirectory, "obj-" + Guid.NewGuid().ToString("N"));
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        return Task.FromResult<IPendingObject>(new PendingFile(this, temporary, stream));
    }

    /// <inheritdoc />
    public async Task WriteRootFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (name.Length == 0 || name.Contains('/') || name.Contains('\\') || name is "." or "..")
        {
            throw new ArgumentException($"Not a root file name: '{name}'.", nameof(name));
        }

        var temporary = Path.Combine(_transactionDirectory, "root-" + Guid.NewGuid().ToString("N"));
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(_root, name), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Removes temporary files left by an interrupted writer.</summary>
    public void CleanTemporaryFiles()
    {
        foreach (var file in Directory.EnumerateFiles(_transactionDirectory))
        {
            File.Delete(file);
        }
    }

    /// <summary>True when the object is stored.</summary>
    public bool Contains(ObjectId id) => File.Exists(Path.Combine(_root, id.Path));

    private sealed class PendingFile(FileSystemObjectSink sink, string temporary, FileStream stream) : IPendingObject
    {
        private bool _done;

        public Stream Content => stream;

        public async Task CommitAsync(ObjectId id, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            _done = true;
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);

            var final = Path.Combine(sink._root, id.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            try
            {
                // No overwrite: an existing object with this name has these very bytes.
                File.Move(temporary, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                File.Delete(temporary);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                await stream.DisposeAsync().ConfigureAwait(false);
                File.Delete(temporary);
            }
        }
    }
}
