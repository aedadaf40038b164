using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using Strata.Client.Network;
using Strata.Cvmfs.Objects;

namespace Strata.Client.Cache;

/// <summary>
/// The local cache: one directory shared by every mount and repository, content-addressed by object
/// name, so an object reached from 50 images or 3 repositories is stored once.
/// </summary>
/// <remarks>
/// <code>
/// &lt;cache&gt;/objects/ab/cdef…       file content and chunks (suffix P): decompressed content + <see cref="ContentTrailer"/>
/// &lt;cache&gt;/objects/ab/cdef…C      catalogs, history (H), certificates (X): the stored bytes, verified by name on every load
/// &lt;cache&gt;/txn/&lt;pid&gt;-…            downloads in progress, renamed into objects/ when complete and verified
/// &lt;cache&gt;/repos/&lt;fqrn&gt;/           last verified manifest and whitelist, newest revision seen, status files
/// &lt;cache&gt;/work/&lt;pid&gt;/             decompressed catalogs of a running client
/// </code>
/// Nothing becomes visible under objects/ before it is complete and verified (temp + rename), so a
/// crash at any instant leaves only debris in txn/, cleaned at the next start. Content entries are
/// re-hashed once per process before first use, which catches a torn file after a power cut.
/// </remarks>
public sealed partial class ObjectCache : IDisposable
{
    private readonly CacheOptions _options;
    private readonly ClientStatistics _statistics;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _inflight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _verified = new(StringComparer.Ordinal);

    public ObjectCache(CacheOptions options, ClientStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _statistics = statistics;
        Root = Path.GetFullPath(options.Directory);
        ObjectsDirectory = Path.Combine(Root, "objects");
        TransactionDirectory = Path.Combine(Root, "txn");
        WorkDirectory = Path.Combine(Root, "work", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(ObjectsDirectory);
        Directory.CreateDirectory(TransactionDirectory);
        Directory.CreateDirectory(Path.Combine(Root, "repos"));
        CleanDebris();
        Directory.CreateDirectory(WorkDirectory);
        Rescan();
    }

    /// <summary>The cache directory.</summary>
    public string Root { get; }

    /// <summary>Where verified objects live.</summary>
    public string ObjectsDirectory { get; }

    /// <summary>Where downloads in progress live.</summary>
    public string TransactionDirectory { get; }

    /// <summary>This process's scratch directory (decompressed catalogs); removed on dispose.</summary>
    public string WorkDirectory { get; }

    /// <summary>The per-repository directory (manifest, revision, status).</summary>
    public string RepositoryDirectory(string fqrn)
    {
        if (fqrn.Length == 0 || fqrn.Contains('/') || fqrn.Contains('\\') || fqrn is "." or "..")
        {
            throw new ArgumentException($"Not a repository name: '{fqrn}'.", nameof(fqrn));
        }

        var directory = Path.Combine(Root, "repos", fqrn);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>True when a content entry is present (not verified).</summary>
    public bool Contains(ObjectId id) => File.Exists(EntryPath(id));

    /// <summary>
    /// Opens the decompressed content of a file or chunk object of exactly <paramref name="size"/> bytes,
    /// fetching, verifying and storing it first when missing or damaged. Concurrent requests for the
    /// same object share one download.
    /// </summary>
    public async Task<CachedContent> OpenContentAsync(ObjectId id, ObjectCompression compression, long size, HttpFetcher fetcher, CancellationToken cancellationToken)
    {
        var path = EntryPath(id);
        for (var attempt = 0; ; attempt++)
        {
            var content = TryOpenContent(id, path, size);
            if (content is not null)
            {
                if (attempt == 0)
                {
                    _statistics.Hit();
                }

                return content;
            }

            if (attempt == 0)
            {
                _statistics.Miss();
            }
            else if (attempt > 2)
            {
                throw new IOException($"Cache entry {id} is damaged right after it was stored.");
            }

            await CollapseAsync(path, () => FetchContentAsync(id, compression, size, path, fetcher, CancellationToken.None), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens the stored (compressed) bytes of a catalog, history, certificate or meta-info object,
    /// fetching it when missing. The bytes are checked against the object's name before they are returned.
    /// </summary>
    public async Task<Stream> OpenStoredAsync(ObjectId id, long maxBytes, HttpFetcher? fetcher, CancellationToken cancellationToken)
    {
        var path = EntryPath(id);
        for (var attempt = 0; ; attempt++)
        {
            var stored = TryOpenStored(id, path);
            if (stored is not null)
            {
                if (attempt == 0)
                {
                    _statistics.Hit();
                }

                return stored;
            }

            if (attempt == 0)
            {
                _statistics.Miss();
            }
            else if (attempt > 2)
            {
                throw new IOException($"Cache entry {id} is damaged right after it was stored.");
            }

            if (fetcher is null)
            {
                throw new Strata.Cvmfs.CvmfsNotFoundException(id.Path);
            }

            await CollapseAsync(path, () => FetchStoredAsync(id, maxBytes, path, fetcher, CancellationToken.None), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        TryDeleteDirectory(WorkDirectory);
    }

    internal string EntryPath(ObjectId id) => Path.Combine(ObjectsDirectory, id.Path["data/".Length..]);

    private CachedContent? TryOpenContent(ObjectId id, string path, long size)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var key = id.Path;
        if (!_verified.ContainsKey(key))
        {
            if (!ContentTrailer.Verify(handle, size))
            {
                handle.Dispose();
                Discard(path);
                return null;
            }

            _verified.TryAdd(key, 0);
        }

        var relative = RelativeKey(path);
        Touch(relative, path, size + ContentTrailer.Size);
        Pin(relative);
        return new CachedContent(handle, size, () => Unpin(relative));
    }

    private Stream? TryOpenStored(ObjectId id, string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (ContentHasher.Compute(id.Hash.Algorithm, bytes) != id.Hash)
        {
            Discard(path);
            return null;
        }

        Touch(RelativeKey(path), path, bytes.Length);
        return new MemoryStream(bytes, writable: false);
    }

    private async Task CollapseAsync(string key, Func<Task> fetch, CancellationToken cancellationToken)
    {
        // The shared download runs without the caller's token: another caller may still want it.
        var ours = new Lazy<Task>(() => Task.Run(fetch), LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = _inflight.GetOrAdd(key, ours);
        try
        {
            await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (shared.Value.IsCompleted)
            {
                _inflight.TryRemove(KeyValuePair.Create(key, shared));
            }
        }
    }

    private void Discard(string path)
    {
        _verified.TryRemove(ObjectKeyFromEntryPath(path), out _);
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }

        Forget(RelativeKey(path));
    }

    private string RelativeKey(string path) => Path.GetRelativePath(ObjectsDirectory, path);

    private static string ObjectKeyFromEntryPath(string path) => "data/" + Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path);

    private void CleanDebris()
    {
        // Downloads and scratch directories of processes that are gone (killed, crashed) are debris.
        foreach (var file in Directory.EnumerateFiles(TransactionDirectory))
        {
            if (!IsOwnerAlive(Path.GetFileName(file)))
            {
                TryDelete(file);
            }
        }

        var work = Path.Combine(Root, "work");
        if (Directory.Exists(work))
        {
            foreach (var directory in Directory.EnumerateDirectories(work))
            {
                if (!IsOwnerAlive(Path.GetFileName(directory)))
                {
                    TryDeleteDirectory(directory);
                }
            }
        }
    }

    private static bool IsOwnerAlive(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var pidText = dash < 0 ? name : name[..dash];
        return int.TryParse(pidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            && (pid == Environment.ProcessId || Directory.Exists("/proc/" + pid));
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
