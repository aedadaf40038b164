using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Strata.Identity.Audit;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Server.Auth;

/// <summary>
/// Writes audit entries in the background, in batches (up to <see cref="BatchSize"/> per
/// transaction), so a pull pays an enqueue, not a database write. The queue is bounded
/// (<see cref="Capacity"/>); when it is full, requests wait for room rather than entries being
/// dropped. Entries still queued at shutdown are written before the host stops; a crash loses at
/// most what was queued (a second's worth under load). A failed write is logged and retried.
/// </summary>
public sealed partial class BatchingAuditSink(IIdentityStore store, ILogger<BatchingAuditSink> logger) : BackgroundService, IAuditSink
{
    public const int Capacity = 10_000;
    public const int BatchSize = 500;

    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    // 1 while a batch is being written, so FlushAsync also waits for the batch in flight.
    private int _writing;

    public void Record(AuditEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            // Full (a storm, or the store is down): wait for room on this thread rather than lose the entry.
            _queue.Writer.WriteAsync(entry).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits until everything recorded so far is stored (tests and the audit query use it).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.Count > 0 || Volatile.Read(ref _writing) != 0)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntry>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await DrainAsync(batch, stopping: false).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is left below.
        }

        await DrainAsync(batch, stopping: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes everything queued. A failing store is retried with backoff (capped at 5 s) for as long as
    /// the host runs — entries are not dropped, and the bounded queue makes requests wait meanwhile;
    /// at shutdown, after five attempts, the rest is logged as lost rather than holding the host.
    /// </summary>
    private async Task DrainAsync(List<AuditEntry> batch, bool stopping)
    {
        Interlocked.Exchange(ref _writing, 1);
        try
        {
            while (true)
            {
                batch.Clear();
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await store.AppendAuditAsync(batch, CancellationToken.None).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception e)
                    {
                        LogWriteFailed(logger, e, batch.Count, attempt);
                        if (stopping && attempt >= 5)
                        {
                            LogLost(logger, batch.Count + _queue.Reader.Count);
                            return;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt))).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            Interlocked.Exchange(ref _writing, 0);
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "lost {Count} audit entries at shutdown: the store kept failing")]
    private static partial void LogLost(ILogger logger, int count);

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "failed to write {Count} audit entries (attempt {Attempt}); retrying")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, int attempt);
}
