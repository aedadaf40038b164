using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Server.Publication;

namespace Strata.Server.Gc;

/// <summary>Collects the CernVM-FS repository every <see cref="CvmfsGcOptions.Interval"/> (after a first interval).</summary>
internal sealed partial class CvmfsGcBackgroundService(
    CvmfsGcRunner runner,
    IOptions<CvmfsGcOptions> options,
    IOptions<PublicationOptions> publication,
    TimeProvider time,
    ILogger<CvmfsGcBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || !publication.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken).ConfigureAwait(false);
                await runner.RunAsync(dryRun: false, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 1321, Level = LogLevel.Error, Message = "cvmfs garbage collection failed; retried at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
