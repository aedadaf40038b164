namespace Strata.Metadata.Contracts;

/// <summary>
/// A durable background job (publication, later scanning, replication, webhooks, GC). One job per
/// (<see cref="Kind"/>, <see cref="Key"/>) is active at a time: enqueuing an existing active key
/// does not create a second one. <see cref="Payload"/> and <see cref="Result"/> are JSON owned by
/// the job's kind.
/// </summary>
public sealed record JobRecord(
    long Id,
    string Kind,
    string Key,
    string Payload,
    JobState State,
    int Attempts,
    DateTimeOffset NotBefore,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    string? Error,
    string? Result,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
