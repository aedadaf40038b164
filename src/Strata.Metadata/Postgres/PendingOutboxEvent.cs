namespace Strata.Metadata.Postgres;

/// <summary>An outbox event a write transaction appends just before it commits (see <see cref="PostgresMetadataStore"/>).</summary>
internal readonly record struct PendingOutboxEvent(string Kind, string Repository, string? Digest, string? Tag, string? MediaType);
