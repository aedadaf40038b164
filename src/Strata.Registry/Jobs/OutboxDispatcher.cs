using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;

namespace Strata.Registry.Jobs;

/// <summary>
/// Feeds every <see cref="IOutboxConsumer"/> the outbox events after its stored position, in
/// order, and moves the position forward after each event was handled. A consumer that fails is
/// retried from the same event at the next round (at-least-once delivery), without holding the
/// others back.
/// </summary>
public sealed partial class OutboxDispatcher(
    IEnumerable<IOutboxConsumer> consumers,
    IOutboxStore outbox,
    IJobQueue queue,
    JobSignal signal,
    IOptions<JobWorkerOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var list = consumers.ToList();
        if (list.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            foreach (var consumer in list)
            {
                try
                {
                    busy |= await DispatchBatchAsync(consumer, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogConsumerFailed(logger, e, consumer.Name);
                }
            }

            if (!busy)
            {
                try
                {
                    await signal.WaitOutboxAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Handles one batch; true when there may be more.</summary>
    public async Task<bool> DispatchBatchAsync(IOutboxConsumer consumer, CancellationToken cancellationToken)
    {
        var position = await queue.GetOutboxCursorAsync(consumer.Name, cancellationToken).ConfigureAwait(false);
        var events = await outbox.ReadEventsAsync(position, BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var change in events)
        {
            await consumer.HandleAsync(change, cancellationToken).ConfigureAwait(false);
            await queue.SetOutboxCursorAsync(consumer.Name, change.Id, cancellationToken).ConfigureAwait(false);
        }

        if (events.Count > 0)
        {
            signal.JobQueued();
        }

        return events.Count == BatchSize;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "outbox consumer {Consumer} failed; it will retry from the same event")]
    private static partial void LogConsumerFailed(ILogger logger, Exception exception, string consumer);
}
