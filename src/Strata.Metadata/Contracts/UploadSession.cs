namespace Strata.Metadata.Contracts;

/// <summary>
/// An upload in progress. Persisted so an upload can be resumed after a restart (or, with shared
/// storage, on another replica). <see cref="Size"/> is the number of bytes accepted so far.
/// </summary>
public sealed record UploadSession(Guid Id, string Repository, long Size, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt);
