using System.Runtime.InteropServices;

namespace Strata.Client.Fuse;

/// <summary>
/// A client killed with -9 (or crashed) leaves its mount behind: the kernel aborted the connection,
/// so every access answers ENOTCONN ("Transport endpoint is not connected") until someone runs
/// <c>umount -l</c>. Before mounting, <c>strata mount</c> detaches such a dead mount of its own file
/// system type at the same mount point, so restarting the client is all a crash needs. A live mount
/// (any access works) and mounts of other file systems are never touched.
/// </summary>
internal static class DeadMount
{
    private const string FileSystemType = "fuse.strata";
    private const int NotConnected = 107; // ENOTCONN

    /// <summary>Detaches dead Strata mounts stacked at <paramref name="mountpoint"/>; returns how many.</summary>
    public static async Task<int> DetachAtAsync(string mountpoint)
    {
        var detached = 0;

        // Bounded: each round removes the top mount; a few stacked dead mounts at most.
        for (var round = 0; round < 8 && IsStrataMount(mountpoint) && await IsDisconnectedAsync(mountpoint).ConfigureAwait(false); round++)
        {
            if (LibC.Umount2(mountpoint, LibC.MntDetach) != 0)
            {
                break;
            }

            detached++;
        }

        return detached;
    }

    /// <summary>
    /// statfs(2) always reaches the daemon (the kernel caches no answer), so it tells a dead
    /// connection (ENOTCONN) from a live one, where stat or access may be answered from the
    /// kernel's attribute cache. A daemon that is alive but stuck does not answer: after a few
    /// seconds the mount is taken as alive and left alone.
    /// </summary>
    private static async Task<bool> IsDisconnectedAsync(string mountpoint)
    {
        var probe = Task.Run(() =>
        {
            var buffer = new byte[256]; // struct statfs is 120 bytes on x86-64 and arm64
            return LibC.StatFs(mountpoint, buffer) != 0 && Marshal.GetLastPInvokeError() == NotConnected;
        });
        try
        {
            return await probe.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static bool IsStrataMount(string mountpoint)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                var fields = line.Split(' ');
                var separator = line.IndexOf(" - ", StringComparison.Ordinal);
                if (fields.Length >= 5 && separator > 0 && FuseConnection.Unescape(fields[4]) == mountpoint
                    && line[(separator + 3)..].StartsWith(FileSystemType + " ", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }

        return false;
    }
}
