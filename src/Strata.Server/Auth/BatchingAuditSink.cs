using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Strata.Identity.Audit;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Server.Auth;

/// <summary>
/// Writes audit entries in the background, in batches, so a pull pays an enqueue, not a database
/// write. The writer lingers <see cref="AuthOptions.AuditFlushInterval"/> after the first entry of a
/// batch before writing, so that under load one transaction carries hundreds of entries (up to
/// <see cref="BatchSize"/> per transaction) and recording an entry wakes no thread.
/// </summary>
/// <remarks>
/// <para>
/// Full queue: <b>backpressure, never loss</b>. The queue is bounded (<see cref="Capacity"/>, about a
/// second of pulls at the highest rate measured); when it is full the writer is woken at once and the
/// recording request waits for room (<see cref="RecordAsync"/> asynchronously, holding no thread;
/// <see cref="Record"/>, used by rare management actions, blocks). Every such wait is counted
/// (<c>strata.audit.queue.waits</c>) and logged at most every 10 s. An audit log that silently drops
/// entries under load is what an attacker would use to hide a burst of pulls, so a slow store slows
/// the registry instead.
/// </para>
/// <para>
/// Entries still queued at shutdown are written before the host stops; a crash loses at most what
/// was queued (one linger interval plus what arrived during the write in progress). A failed write
/// is logged and retried with backoff for as long as the host runs.
/// </para>
/// </remarks>
public sealed partial class BatchingAuditSink : BackgroundService, IAuditSink
{
    public const string MeterName = "Strata.Server.Audit";
    public const int Capacity = 10_000;
    public const int BatchSize = 500;

    private readonly IIdentityStore _store;
    private readonly ILogger<BatchingAuditSink> _logger;
    private readonly TimeSpan _linger;
    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    // Released to cut the writer's linger short: the queue is full, or someone waits in FlushAsync.
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Counter<long> _written;
    private readonly Counter<long> _waits;
    private readonly Counter<long> _lost;
    private long _lastFullWarning;

    // 1 while a batch is being written, so FlushAsync also waits for the batch in flight.
    private int _writing;

    public BatchingAuditSink(IIdentityStore store, ILogger<BatchingAuditSink> logger, IOptions<AuthOptions> options, IMeterFactory? meters = null)
    {
        _store = store;
        _logger = logger;
        _linger = options.Value.AuditFlushInterval;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _written = meter.CreateCounter<long>("strata.audit.entries.written", "{entry}", "Audit entries stored");
        _waits = meter.CreateCounter<long>("strata.audit.queue.waits", "{entry}", "Audit entries whose recorder waited for room in a full queue");
        _lost = meter.CreateCounter<long>("strata.audit.entries.lost", "{entry}", "Audit entries not stored at shutdown because the store kept failing");
        meter.CreateObservableGauge("strata.audit.queue.length", () => _queue.Reader.Count, "{entry}", "Audit entries waiting to be stored");
    }

    /// <summary>Entries recorded and not yet stored.</summary>
    public int Queued => _queue.Reader.Count;

    public void Record(AuditEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Full();
            _queue.Writer.WriteAsync(entry).AsTask().GetAwaiter().GetResult();
        }
    }

    public ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return ValueTask.CompletedTask;
        }

        Full();
        return _queue.Writer.WriteAsync(entry, cancellationToken);
    }

    /// <summary>Waits until everything recorded so far is stored (tests and the audit query use it).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.Count > 0 || Volatile.Read(ref _writing) != 0)
        {
            Wake();
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEntry>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Linger so the batch fills: nobody is woken per entry, and the transaction's fixed
                // cost (lock, commit, WAL pages) is shared by everything that arrived meanwhile.
                if (_linger > TimeSpan.Zero && _queue.Reader.Count < BatchSize)
                {
                    await _wake.WaitAsync(_linger, stoppingToken).ConfigureAwait(false);
                }

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
    /// Stops the writer, then stores whatever is still queued. The second drain matters when the host
    /// stops right after it started: .NET runs <see cref="ExecuteAsync"/> through <c>Task.Run</c> with
    /// the stopping token, so a stop that comes first cancels it before it ever runs, and its own final
    /// drain never happens.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Only once the writer is finished: the queue has a single reader.
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            await DrainAsync(new List<AuditEntry>(BatchSize), stopping: true).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void Full()
    {
        Wake();
        _waits.Add(1);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFullWarning);
        if (now - last >= 10_000 && Interlocked.CompareExchange(ref _lastFullWarning, now, last) == last)
        {
            LogQueueFull(_logger, Capacity);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another recorder woke it first.
            }
            catch (ObjectDisposedException)
            {
                // The host is gone; nothing left to wake.
            }
        }
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
                        await _store.AppendAuditAsync(batch, CancellationToken.None).ConfigureAwait(false);
                        _written.Add(batch.Count);
                        break;
                    }
                    catch (Exception e)
                    {
                        LogWriteFailed(_logger, e, batch.Count, attempt);
                        if (stopping && attempt >= 5)
                        {
                            var lost = batch.Count + _queue.Reader.Count;
                            _lost.Add(lost);
                            LogLost(_logger, lost);
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

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "audit queue full ({Capacity} entries): requests wait for the audit writer (the store is slow or down)")]
    private static partial void LogQueueFull(ILogger logger, int capacity);
}
