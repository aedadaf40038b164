using Strata.Client.Fuse;
using Strata.Client.Repository;

namespace Strata.Client.Hosting;

/// <summary>
/// Runs a mount until it is cancelled or unmounted from outside: open and verify the repository,
/// mount, keep the status file current and check for new revisions in the background, unmount.
/// </summary>
public static class MountRunner
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the mount disappears; <paramref name="mounted"/> is told once serving.</summary>
    public static async Task RunAsync(ClientOptions client, MountOptions mount, Action<RepositoryClient, FuseMount>? mounted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(mount);
        var repository = await RepositoryClient.OpenAsync(client, cancellationToken).ConfigureAwait(false);
        await using (repository.ConfigureAwait(false))
        {
            var fuse = await FuseMount.StartAsync(repository, mount, cancellationToken).ConfigureAwait(false);
            await using (fuse.ConfigureAwait(false))
            {
                repository.WriteStatus(fuse.Mountpoint);
                mounted?.Invoke(repository, fuse);
                using var timer = new PeriodicTimer(mount.StatusInterval);
                var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                while (true)
                {
                    var finished = await Task.WhenAny(tick, fuse.Completion).ConfigureAwait(false);
                    if (finished == fuse.Completion || cancellationToken.IsCancellationRequested || tick.IsCanceled)
                    {
                        break;
                    }

                    // Revisions are also checked on lookups; this keeps an idle mount current too.
                    await ((Task)repository.GetRevisionAsync(cancellationToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    repository.WriteStatus(fuse.Mountpoint);
                    tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
                }

                fuse.Unmount();
                repository.WriteStatus(null);
            }
        }
    }
}
