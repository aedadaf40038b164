using Strata.Client.Network;
using Strata.Cvmfs.Objects;

namespace Strata.Client.Mirror;

/// <summary>
/// The mirror directory, laid out exactly like a Stratum 0/1 so any static web server can serve it.
/// </summary>
/// <remarks>
/// <code>
/// &lt;dir&gt;/.cvmfspublished          signed manifest, replaced (temp + rename) last of all
/// &lt;dir&gt;/.cvmfswhitelist          signed whitelist, replaced just before the manifest
/// &lt;dir&gt;/data/ab/cdef…[S]         verified objects, each renamed into place when complete
/// &lt;dir&gt;/data/txn/                 downloads in progress, staged catalogs, the run lock; emptied at start
/// </code>
/// A catalog is moved into <c>data/</c> only after everything below it, so a present catalog means a
/// complete subtree, and an interrupted run leaves only debris in <c>data/txn/</c> plus finished objects.
/// </remarks>
internal sealed class MirrorStore
{
    private const string LockName = ".lock";

    public MirrorStore(string root)
    {
        Root = Path.GetFullPath(root);
        Transactions = Path.Combine(Root, "data", "txn");
    }

    public string Root { get; }

    public string Transactions { get; }

    public string FinalPath(ObjectId id) => Path.Combine(Root, id.Path);

    public string StagedPath(ObjectId id) => Path.Combine(Transactions, "staged-" + id.Path.Replace('/', '-'));

    public bool IsPresent(ObjectId id) => File.Exists(FinalPath(id));

    /// <summary>Creates the layout and takes the lock that keeps two runs from writing the same directory.</summary>
    public FileStream Open()
    {
        Directory.CreateDirectory(Transactions);
        FileStream gate;
        try
        {
            gate = new FileStream(Path.Combine(Transactions, LockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"Another mirror run is using {Root}.", e);
        }

        Clean();
        return gate;
    }

    /// <summary>Removes debris of a run (call with the lock held): partial downloads, staged catalogs whose subtree was not finished.</summary>
    public void Clean()
    {
        // Debris of interrupted runs: partial downloads and staged catalogs whose subtree was not finished.
        foreach (var entry in Directory.EnumerateFileSystemEntries(Transactions))
        {
            if (Path.GetFileName(entry) == LockName)
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>Reads a root file (<c>.cvmfspublished</c>, <c>.cvmfswhitelist</c>) of the mirror; null when absent.</summary>
    public byte[]? ReadRootFile(string name)
    {
        var path = Path.Combine(Root, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <summary>Replaces a root file atomically, flushed to disk before the rename.</summary>
    public async Task WriteRootFileAsync(string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Transactions, name + "-" + Guid.NewGuid().ToString("N"));
        var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(Root, name), overwrite: true);
    }

    /// <summary>Downloads <paramref name="id"/>, verifying its hash as it arrives, then renames it to <paramref name="destination"/>. Returns its size.</summary>
    public async Task<long> DownloadAsync(HttpFetcher fetcher, ObjectId id, long maxBytes, string destination, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Transactions, "part-" + Guid.NewGuid().ToString("N"));
        try
        {
            long length;
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await fetcher.DownloadAsync(id.Path, id.Hash, maxBytes, file, null, cancellationToken).ConfigureAwait(false);
                length = file.Length;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(temporary, destination, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Moves a staged object (a catalog, certificate or history fetched early) into <c>data/</c>; false when none is staged.</summary>
    public bool Promote(ObjectId id)
    {
        var staged = StagedPath(id);
        if (!File.Exists(staged))
        {
            return false;
        }

        var final = FinalPath(id);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(staged, final, overwrite: true);
        return true;
    }
}
