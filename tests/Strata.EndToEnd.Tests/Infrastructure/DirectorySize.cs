namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>Bytes held by the files under a folder: how tests see an upload reach the disk without knowing the server's layout.</summary>
public static class DirectorySize
{
    public static long Of(string path)
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // Renamed or deleted while we looked.
            }
        }

        return total;
    }

    /// <summary>Waits until the folder holds at least <paramref name="bytes"/>; false after <paramref name="timeout"/> or when <paramref name="stop"/> completes first.</summary>
    public static async Task<bool> WaitForAsync(string path, long bytes, TimeSpan timeout, Task? stop = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && stop?.IsCompleted != true)
        {
            if (Of(path) >= bytes)
            {
                return true;
            }

            await Task.Delay(10);
        }

        return Of(path) >= bytes;
    }
}
