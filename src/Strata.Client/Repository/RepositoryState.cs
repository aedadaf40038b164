using System.Globalization;
using System.Text;

namespace Strata.Client.Repository;

/// <summary>
/// What the cache remembers about one repository: the newest revision ever accepted (so a mirror or
/// proxy serving an older one is refused, even after a restart) and the last verified manifest and
/// whitelist (so the repository can be mounted offline from the cache).
/// </summary>
public sealed class RepositoryState
{
    private const string RevisionFile = "revision";
    private const string ManifestFile = ".cvmfspublished";
    private const string WhitelistFile = ".cvmfswhitelist";
    private readonly string _directory;
    private readonly Lock _gate = new();

    public RepositoryState(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <summary>The newest revision accepted so far, or -1.</summary>
    public long NewestRevision
    {
        get
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(_directory, RevisionFile), Encoding.ASCII).Trim();
                return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : -1;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return -1;
            }
        }
    }

    /// <summary>The last accepted manifest and whitelist, when there are any.</summary>
    public (byte[] Manifest, byte[] Whitelist)? LastEnsemble
    {
        get
        {
            try
            {
                return (File.ReadAllBytes(Path.Combine(_directory, ManifestFile)), File.ReadAllBytes(Path.Combine(_directory, WhitelistFile)));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
    }

    /// <summary>Records an accepted revision (never lowers the stored one).</summary>
    public void Accept(long revision, byte[] manifest, byte[] whitelist)
    {
        lock (_gate)
        {
            if (revision < NewestRevision)
            {
                return;
            }

            WriteAtomically(ManifestFile, manifest);
            WriteAtomically(WhitelistFile, whitelist);
            WriteAtomically(RevisionFile, Encoding.ASCII.GetBytes(revision.ToString(CultureInfo.InvariantCulture) + "\n"));
        }
    }

    /// <summary>Writes a status file for this process (temp + rename, so readers never see half of it).</summary>
    public string WriteStatus(string json)
    {
        var path = Path.Combine(_directory, $"status-{Environment.ProcessId}.json");
        WriteAtomically(Path.GetFileName(path), Encoding.UTF8.GetBytes(json));
        return path;
    }

    /// <summary>
    /// Status files of running processes, newest first. The file of a process that is gone (a
    /// client killed with -9 never removes its own) is deleted, so <c>--stats</c> shows only live mounts.
    /// </summary>
    public IReadOnlyList<string> StatusFiles()
    {
        var live = new List<FileInfo>();
        foreach (var file in new DirectoryInfo(_directory).EnumerateFiles("status-*.json"))
        {
            var pidText = Path.GetFileNameWithoutExtension(file.Name)["status-".Length..];
            if (int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && !Directory.Exists("/proc/" + pidText))
            {
                try
                {
                    file.Delete();
                }
                catch (IOException)
                {
                }

                continue;
            }

            live.Add(file);
        }

        return [.. live.OrderByDescending(f => f.LastWriteTimeUtc).Select(f => f.FullName)];
    }

    private void WriteAtomically(string name, byte[] bytes)
    {
        var target = Path.Combine(_directory, name);
        var temporary = target + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
    }
}
