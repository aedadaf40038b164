namespace Strata.Metadata.Contracts;

/// <summary>Upload sessions, so uploads survive restarts.</summary>
public interface IUploadSessionStore
{
    Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken);

    /// <summary>The session, only if it belongs to <paramref name="repository"/>.</summary>
    Task<UploadSession?> GetUploadAsync(string repository, Guid id, CancellationToken cancellationToken);

    /// <summary>Records the new accepted size.</summary>
    Task UpdateUploadAsync(Guid id, long size, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Sessions not updated since <paramref name="updatedBefore"/> (for expiry).</summary>
    Task<IReadOnlyList<UploadSession>> ListStaleUploadsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);
}
