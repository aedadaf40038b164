namespace Strata.Metadata.Contracts;

/// <summary>The transactional outbox that feeds background workers.</summary>
public interface IOutboxStore
{
    /// <summary>Events with <see cref="OutboxEvent.Id"/> greater than <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<OutboxEvent>> ReadEventsAsync(long afterId, int limit, CancellationToken cancellationToken);
}
