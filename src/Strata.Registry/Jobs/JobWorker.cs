using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;

namespace Strata.Registry.Jobs;

/// <summary>
/// Runs queued jobs with the registered <see cref="IJobHandler"/>s: <see cref="JobWorkerOptions.Concurrency"/>
/// loops lease due jobs, renew the lease while the handler runs (at a third of its duration), and
/// record success, a retry with exponential backoff, or a permanent failure. A job whose lease is
/// lost (this process stalled and another took it over) is cancelled here.
/// </summary>
public sealed partial class JobWorker(
    IEnumerable<IJobHandler> handlers,
    IJobQueue queue,
    JobSignal signal,
    TimeProvider time,
    IOptions<JobWorkerOptions> options,
    ILogger<JobWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(i => LoopAsync($"{_owner}/{i}", stoppingToken)));
    }

    private async Task LoopAsync(string owner, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await RunOneAsync(owner, stoppingToken).ConfigureAwait(false))
                {
                    await signal.WaitJobAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWorkerFailed(logger, e);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Leases and runs one due job; false when none was due.</summary>
    public async Task<bool> RunOneAsync(string owner, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var job = await queue.LeaseAsync(_handlers.Keys, owner, settings.LeaseDuration, stoppingToken).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = RenewWhileRunningAsync(job.Id, owner, settings.LeaseDuration, lost);
        try
        {
            var result = await _handlers[job.Kind].RunAsync(job, lost.Token).ConfigureAwait(false);
            await queue.CompleteAsync(job.Id, owner, result, CancellationToken.None).ConfigureAwait(false);
            LogJobSucceeded(logger, job.Kind, job.Key, job.Attempts);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            LogLeaseLost(logger, job.Kind, job.Key);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease expires and the job is taken over (or rerun here after restart).
        }
        catch (Exception e)
        {
            var permanent = e is PermanentJobException || job.Attempts >= settings.MaxAttempts;
            DateTimeOffset? retryAt = permanent ? null : time.GetUtcNow() + Backoff(settings.RetryDelay, job.Attempts);
            await queue.FailAsync(job.Id, owner, e.Message, retryAt, CancellationToken.None).ConfigureAwait(false);
            LogJobFailed(logger, e, job.Kind, job.Key, job.Attempts, permanent);
        }
        finally
        {
            await lost.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        return true;
    }

    private static TimeSpan Backoff(TimeSpan first, int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, MaxRetryDelay.Ticks));
        return delay;
    }

    private Task RenewWhileRunningAsync(long id, string owner, TimeSpan lease, CancellationTokenSource lost) => Task.Run(async () =>
    {
        try
        {
            while (!lost.IsCancellationRequested)
            {
                await Task.Delay(lease / 3, time, lost.Token).ConfigureAwait(false);
                if (!await queue.RenewAsync(id, owner, lease, lost.Token).ConfigureAwait(false))
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended.
        }
    });

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "job {Kind} {Key} succeeded (attempt {Attempt})")]
    private static partial void LogJobSucceeded(ILogger logger, string kind, string key, int attempt);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "job {Kind} {Key} failed (attempt {Attempt}, permanent: {Permanent})")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string kind, string key, int attempt, bool permanent);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "job {Kind} {Key} lost its lease; another worker took it over")]
    private static partial void LogLeaseLost(ILogger logger, string kind, string key);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "failed to lease or record a job")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception);
}
