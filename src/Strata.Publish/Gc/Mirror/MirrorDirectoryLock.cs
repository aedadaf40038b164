namespace Strata.Publish.Gc.Mirror;

/// <summary>
/// The lock <c>strata mirror</c> takes for a run: <c>data/txn/.lock</c> opened exclusively (an
/// advisory <c>flock</c> on Linux, released when the process dies). A collection holds the same lock,
/// so a sync and a collection never overlap: a <c>strata mirror --watch</c> round that finds it held
/// fails that round and syncs at the next one; a collection waits for a running sync.
/// </summary>
internal static class MirrorDirectoryLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<FileStream> AcquireAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var transactions = Path.Combine(directory, "data", "txn");
        Directory.CreateDirectory(transactions);
        var path = Path.Combine(transactions, ".lock");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new MirrorBusyException(directory, e);
                }

                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
