using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Metadata.Postgres;
using Strata.Registry.Jobs;

namespace Strata.Server.Hosting;

/// <summary>
/// The outbox dispatcher of a replica fleet: only the replica holding the <c>outbox-dispatch</c>
/// leadership (<see cref="PostgresMetadataStore.TryAcquireLeadershipAsync"/>) feeds the consumers;
/// the others try to take over every second. Two dispatchers reading the same cursor would both
/// queue the job of an event, and a job that ended in between would run twice; with one dispatcher
/// each event is queued once, and the job queue (SKIP LOCKED leases) runs each job once.
/// </summary>
/// <remarks>
/// The leader checks its lock's connection every <see cref="ProbeInterval"/>; when it broke, the
/// server has released the lock, so it stops at once (a batch in flight may still queue a job the
/// next leader queues again: harmless, an enqueue of a queued job merges). A push on another replica
/// wakes only that replica's signal, so the leader finds it at its next poll
/// (<see cref="JobWorkerOptions.PollInterval"/>, 1 s by default).
/// </remarks>
internal sealed partial class LeaderOutboxDispatcher(
    PostgresMetadataStore store,
    OutboxDispatcher dispatcher,
    IEnumerable<IOutboxConsumer> consumers,
    JobSignal signal,
    IOptions<JobWorkerOptions> options,
    ILogger<LeaderOutboxDispatcher> logger) : BackgroundService
{
    public const string LeadershipName = "outbox-dispatch";
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TakeOverInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var list = consumers.ToList();
        if (list.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var leadership = await store.TryAcquireLeadershipAsync(LeadershipName, stoppingToken).ConfigureAwait(false);
                if (leadership is null)
                {
                    await Task.Delay(TakeOverInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await using (leadership.ConfigureAwait(false))
                {
                    LogLeading(logger);
                    await LeadAsync(leadership, list, stoppingToken).ConfigureAwait(false);
                    LogLostLeadership(logger);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLeadershipFailed(logger, e);
                await Task.Delay(TakeOverInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Dispatches until the lock is lost or the host stops.</summary>
    private async Task LeadAsync(PostgresLeadership leadership, List<IOutboxConsumer> consumers, CancellationToken stoppingToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watch = WatchAsync(leadership, lost);
        try
        {
            while (!lost.IsCancellationRequested)
            {
                var busy = false;
                foreach (var consumer in consumers)
                {
                    try
                    {
                        busy |= await dispatcher.DispatchBatchAsync(consumer, lost.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!lost.IsCancellationRequested)
                    {
                        LogConsumerFailed(logger, e, consumer.Name);
                    }
                }

                if (!busy)
                {
                    await signal.WaitOutboxAsync(options.Value.PollInterval, lost.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
        }
        finally
        {
            await lost.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    private static async Task WatchAsync(PostgresLeadership leadership, CancellationTokenSource lost)
    {
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(ProbeInterval, lost.Token).ConfigureAwait(false);
                if (!await leadership.IsHeldAsync(lost.Token).ConfigureAwait(false))
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1150, Level = LogLevel.Information, Message = "this replica now dispatches the outbox")]
    private static partial void LogLeading(ILogger logger);

    [LoggerMessage(EventId = 1151, Level = LogLevel.Warning, Message = "this replica stopped dispatching the outbox (its database session ended or the host stops)")]
    private static partial void LogLostLeadership(ILogger logger);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Warning, Message = "failed to take or keep outbox dispatch leadership; retrying")]
    private static partial void LogLeadershipFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Error, Message = "outbox consumer {Consumer} failed; it will retry from the same event")]
    private static partial void LogConsumerFailed(ILogger logger, Exception exception, string consumer);
}
