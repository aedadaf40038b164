using System.Globalization;

namespace Strata.Client.Fuse;

/// <summary>
/// The kernel's control files for a FUSE connection (<c>/sys/fs/fuse/connections/&lt;dev&gt;</c>), found
/// through the mount's device number in /proc/self/mountinfo. Aborting the connection fails every
/// pending and future request at once, which is how an unmount never leaves a process hanging.
/// </summary>
internal static class FuseConnection
{
    private const string ConnectionsRoot = "/sys/fs/fuse/connections";

    /// <summary>The device number of the mount at <paramref name="mountpoint"/>, or null.</summary>
    public static uint? DeviceOf(string mountpoint)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                // id parent major:minor root mountpoint options ... - fstype source superoptions
                var fields = line.Split(' ');
                if (fields.Length < 5 || Unescape(fields[4]) != mountpoint)
                {
                    continue;
                }

                var separator = line.IndexOf(" - ", StringComparison.Ordinal);
                if (separator < 0 || !line[(separator + 3)..].StartsWith("fuse", StringComparison.Ordinal))
                {
                    continue;
                }

                var numbers = fields[2].Split(':');
                if (numbers.Length == 2
                    && uint.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                    && uint.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
                {
                    // new_encode_dev(), which is how fusectl names the directory.
                    return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>Aborts connection <paramref name="device"/>; false when fusectl is not available.</summary>
    public static bool Abort(uint device)
    {
        var directory = Path.Combine(ConnectionsRoot, device.ToString(CultureInfo.InvariantCulture));
        if (!Directory.Exists(directory))
        {
            // fusectl is usually mounted at boot (systemd); in a bare container it may not be.
            LibC.Mount("fusectl", ConnectionsRoot, "fusectl", 0, string.Empty);
        }

        try
        {
            File.WriteAllText(Path.Combine(directory, "abort"), "1");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Decodes the octal escapes of a path in /proc/self/mountinfo.</summary>
    public static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
