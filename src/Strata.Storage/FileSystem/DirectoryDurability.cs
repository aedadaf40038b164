using System.Runtime.InteropServices;
using System.Text;

namespace Strata.Storage.FileSystem;

/// <summary>
/// Makes new directory entries durable. fsync on a file persists its data, not its name: after a
/// power loss a file renamed into place (or a directory just created) can vanish unless the
/// directory holding the entry is fsynced too (see the "rename durability" notes in ext4's and
/// PostgreSQL's documentation). .NET cannot open a directory as a stream, so this calls
/// open/fsync/close from libc directly. Best effort: a failure here never fails the write, because
/// the data is already safe and the entry is only at risk from a power loss, not from a crash.
/// </summary>
internal static class DirectoryDurability
{
    private const int ReadOnly = 0;

    private static volatile bool _unavailable;

    /// <summary>
    /// Creates the parent directories of <paramref name="filePath"/> and returns the deepest one
    /// that already existed: the boundary up to which <see cref="FlushParents"/> must sync.
    /// </summary>
    public static string CreateParents(string filePath)
    {
        var parent = Path.GetDirectoryName(filePath)!;
        var existing = parent;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } above)
        {
            existing = above;
        }

        Directory.CreateDirectory(parent);
        return existing;
    }

    /// <summary>
    /// Syncs the directory holding <paramref name="filePath"/> and every directory above it up to
    /// and including <paramref name="existingAncestor"/>, so each newly created name is durable.
    /// Usually that is one fsync: the parent already existed.
    /// </summary>
    public static void FlushParents(string filePath, string existingAncestor)
    {
        for (var directory = Path.GetDirectoryName(filePath); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            FlushDirectory(directory);
            if (directory == existingAncestor)
            {
                return;
            }
        }
    }

    private static void FlushDirectory(string directory)
    {
        // Windows journals NTFS metadata itself and cannot open a directory this way.
        if (OperatingSystem.IsWindows() || _unavailable)
        {
            return;
        }

        try
        {
            var descriptor = Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly);
            if (descriptor < 0)
            {
                return;
            }

            _ = Fsync(descriptor);
            _ = Close(descriptor);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc the runtime cannot bind by this name: data is still synced, names are not.
            _unavailable = true;
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
