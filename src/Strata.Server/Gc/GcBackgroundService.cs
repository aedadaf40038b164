using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Registry.Gc;

namespace Strata.Server.Gc;

/// <summary>
/// Collects continuously: every <see cref="GcOptions.Interval"/> a run decides the reviews that came
/// due and expires abandoned uploads; every <see cref="GcOptions.StorageSweepInterval"/> the run also
/// sweeps storage. Replicas may all run it: reviews are leased in the metadata store.
/// </summary>
internal sealed partial class GcBackgroundService(
    GarbageCollector collector,
    IOptions<GcOptions> options,
    TimeProvider time,
    ILogger<GcBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        // The first sweep waits a whole interval: a restart after a crash must not list the store at once on every replica.
        var nextSweep = time.GetUtcNow() + settings.StorageSweepInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(false);
                var sweep = settings.StorageSweepInterval > TimeSpan.Zero && time.GetUtcNow() >= nextSweep;
                await collector.RunAsync(new GcRunRequest(DryRun: false, SweepStorage: sweep, GcTriggers.Schedule), stoppingToken).ConfigureAwait(false);
                if (sweep)
                {
                    nextSweep = time.GetUtcNow() + settings.StorageSweepInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPassFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Error, Message = "scheduled garbage collection failed; retried at the next interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
