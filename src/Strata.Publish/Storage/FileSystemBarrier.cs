using System.Runtime.InteropServices;
using System.Text;

namespace Strata.Publish.Storage;

/// <summary>
/// One durability barrier for a whole filesystem: Linux <c>syncfs(2)</c> on a descriptor of the
/// repository directory flushes every dirty page and directory entry of that filesystem. One call
/// replaces thousands of per-object <c>fsync</c>s (about 12 ms each on the test VM's virtual disk).
/// </summary>
internal static class FileSystemBarrier
{
    private const int ReadOnly = 0;

    /// <summary>True where <c>syncfs</c> can be called.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    public static void Sync(string directory)
    {
        var descriptor = Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (SyncFs(descriptor) != 0)
            {
                throw new IOException($"syncfs on '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary><c>fsync(2)</c> of one file or directory (its data and its entries).</summary>
    public static void SyncPath(string path)
    {
        var descriptor = Open(Encoding.UTF8.GetBytes(path + "\0"), ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open '{path}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (FSync(descriptor) != 0)
            {
                throw new IOException($"fsync on '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(int descriptor);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFs(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
