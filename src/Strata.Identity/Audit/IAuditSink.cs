using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Audit;

/// <summary>
/// Where audit entries go. Recording never fails the operation it describes and must be cheap on
/// the request path (the server's sink batches writes in the background).
/// </summary>
public interface IAuditSink
{
    /// <summary>Records <paramref name="entry"/>; when the sink is full this waits for room (never drops).</summary>
    void Record(AuditEntry entry);

    /// <summary>
    /// Records <paramref name="entry"/> without holding a thread while the sink is full: what the
    /// request path uses, so backpressure from a slow store queues requests rather than starving
    /// the thread pool.
    /// </summary>
    ValueTask RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        Record(entry);
        return ValueTask.CompletedTask;
    }
}
