namespace Strata.Metadata.Contracts;

/// <summary>
/// A change written in the same transaction as the change itself, for later workers
/// (publication, scanning, replication, webhooks, GC). <see cref="Id"/> grows monotonically.
/// </summary>
public sealed record OutboxEvent(
    long Id,
    string Kind,
    string Repository,
    string? Digest,
    string? Tag,
    string? MediaType,
    DateTimeOffset CreatedAt);
