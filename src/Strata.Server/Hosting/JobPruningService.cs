using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;

namespace Strata.Server.Hosting;

/// <summary>
/// Deletes ended jobs past <see cref="JobRetentionOptions.Retention"/> every
/// <see cref="JobRetentionOptions.PruneInterval"/>, in batches of <see cref="BatchSize"/> (each one short
/// transaction, so pushes never wait long behind it). Every replica runs it; the stores skip rows
/// another transaction holds, so they do not collide.
/// </summary>
internal sealed partial class JobPruningService(
    IJobQueue queue,
    TimeProvider time,
    IOptions<JobRetentionOptions> options,
    ILogger<JobPruningService> logger) : BackgroundService
{
    internal const int BatchSize = 1000;

    /// <summary>Bounds one round, so a huge backlog is worked off over several rounds.</summary>
    private const int MaxBatchesPerRound = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.PruneInterval, time, stoppingToken).ConfigureAwait(false);
                var pruned = await PruneAsync(stoppingToken).ConfigureAwait(false);
                if (pruned > 0)
                {
                    LogPruned(logger, pruned, settings.Retention);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPruneFailed(logger, e);
            }
        }
    }

    /// <summary>One round: deletes what is past retention now; returns how many jobs went.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.Retention;
        var total = 0;
        for (var batch = 0; batch < MaxBatchesPerRound; batch++)
        {
            var deleted = await queue.PruneEndedJobsAsync(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }

        return total;
    }

    [LoggerMessage(EventId = 1160, Level = LogLevel.Information, Message = "pruned {Count} ended jobs older than {Retention}")]
    private static partial void LogPruned(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(EventId = 1161, Level = LogLevel.Warning, Message = "failed to prune ended jobs; will try again at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
