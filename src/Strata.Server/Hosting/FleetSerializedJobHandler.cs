using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Registry.Jobs;

namespace Strata.Server.Hosting;

/// <summary>
/// Runs a job kind one job at a time across the whole fleet: each job first takes a cluster-wide lock
/// (<see cref="PostgresMetadataStore.TryAcquireLeadershipAsync"/>, named after the kind), waiting for it
/// while the worker keeps the job's lease alive, and is cancelled if the lock's session dies.
/// </summary>
/// <remarks>
/// For publication: the CernVM-FS repository has one manifest, and its publisher detects a revision
/// committed underneath only by reading it back before the swap, which two processes can both pass.
/// The SKIP LOCKED queue already runs each job once; this makes two different jobs of the kind never
/// overlap, which is what "one publisher per repository" asks of the caller. Layers are still
/// ingested in parallel inside that one job.
/// </remarks>
internal sealed class FleetSerializedJobHandler(IJobHandler inner, PostgresMetadataStore store) : IJobHandler
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);

    public string Kind => inner.Kind;

    public async Task<string?> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var lockName = "jobs/" + inner.Kind;
        PostgresLeadership? held;
        while (true)
        {
            held = await store.TryAcquireLeadershipAsync(lockName, cancellationToken).ConfigureAwait(false);
            if (held is not null)
            {
                break;
            }

            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }

        await using (held.ConfigureAwait(false))
        {
            using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watch = WatchAsync(held, lost);
            try
            {
                return await inner.RunAsync(job, lost.Token).ConfigureAwait(false);
            }
            finally
            {
                await lost.CancelAsync().ConfigureAwait(false);
                await watch.ConfigureAwait(false);
            }
        }
    }

    private static async Task WatchAsync(PostgresLeadership held, CancellationTokenSource lost)
    {
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(ProbeInterval, lost.Token).ConfigureAwait(false);
                if (!await held.IsHeldAsync(lost.Token).ConfigureAwait(false))
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
