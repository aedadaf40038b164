namespace Strata.Metadata.Postgres;

/// <summary>
/// PostgreSQL could not be reached or kept failing with transient errors (connection lost, server
/// restarting, too many connections, deadlocks) after the store's bounded retries. The request should
/// fail with a retryable status (503 / TOOMANYREQUESTS); nothing half-written is visible, because
/// every write is one transaction.
/// </summary>
/// <remarks>
/// When <see cref="OutcomeUnknown"/> is true the connection broke while committing: the write either
/// committed whole or not at all, and the store cannot tell which, so it did not retry it.
/// </remarks>
public sealed class MetadataStoreUnavailableException : Exception
{
    public MetadataStoreUnavailableException(string message, Exception innerException, bool outcomeUnknown = false)
        : base(message, innerException)
    {
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>True when a write may have committed (the connection broke during COMMIT).</summary>
    public bool OutcomeUnknown { get; }
}
