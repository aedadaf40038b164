namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// A page of the audit log, newest first: entries with id below <see cref="BeforeId"/> (keyset
/// paging), filtered by the non-null fields.
/// </summary>
public sealed record AuditQuery(
    string? Actor = null,
    string? Action = null,
    string? Project = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeId = null,
    int Limit = 100);
