using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Strata.Publish.Publishing;

namespace Strata.Server.Publication;

/// <summary>
/// Keeps the repository's <c>.cvmfswhitelist</c> valid: checked at start and every 6 hours, and
/// re-signed with the master key when it expires within the renewal window (7 days of its 30), so
/// clients never see an expired whitelist even if nothing is published for weeks.
/// </summary>
public sealed partial class WhitelistRenewalService(ImagePublisher publisher, TimeProvider time, ILogger<WhitelistRenewalService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await publisher.Repository.RenewWhitelistAsync(stoppingToken).ConfigureAwait(false))
                {
                    LogRenewed(logger);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "renewed the CernVM-FS whitelist")]
    private static partial void LogRenewed(ILogger logger);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "failed to renew the CernVM-FS whitelist; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
