using Strata.Metadata.Contracts;

namespace Strata.Registry.Jobs;

/// <summary>
/// Reacts to registry changes recorded in the outbox, typically by queuing jobs. Called at least
/// once per event, in order; must be idempotent (queuing is, per job key).
/// </summary>
public interface IOutboxConsumer
{
    /// <summary>Stable name under which the consumer's position is stored.</summary>
    string Name { get; }

    Task HandleAsync(OutboxEvent change, CancellationToken cancellationToken);
}
