using Npgsql;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    private const string UploadColumns = "id, repository, size, started_at, updated_at";

    /// <inheritdoc />
    public Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return WriteAsync(
            (transaction, token) => transaction
                .Command($"INSERT INTO upload_sessions ({UploadColumns}) VALUES (@id, @repository, @size, @startedAt, @updatedAt)")
                .With("@id", session.Id)
                .With("@repository", session.Repository)
                .With("@size", session.Size)
                .With("@startedAt", ToMilliseconds(session.StartedAt))
                .With("@updatedAt", ToMilliseconds(session.UpdatedAt))
                .ExecuteAsync(token),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<UploadSession?> GetUploadAsync(string repository, Guid id, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => connection
                .Command($"SELECT {UploadColumns} FROM upload_sessions WHERE id = @id AND repository = @repository")
                .With("@id", id)
                .With("@repository", repository)
                .FirstOrDefaultAsync(ReadUpload, token),
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Does nothing when the session is gone (completed or expired concurrently).</remarks>
    public Task UpdateUploadAsync(Guid id, long size, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        WriteAsync(
            (transaction, token) => transaction
                .Command("UPDATE upload_sessions SET size = @size, updated_at = @updatedAt WHERE id = @id")
                .With("@id", id)
                .With("@size", size)
                .With("@updatedAt", ToMilliseconds(updatedAt))
                .ExecuteAsync(token),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken) =>
        WriteAsync(
            async (transaction, token) => await transaction
                .Command("DELETE FROM upload_sessions WHERE id = @id")
                .With("@id", id)
                .ExecuteAsync(token).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<UploadSession>> ListStaleUploadsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        return await ReadAsync(
            (connection, token) => connection
                .Command($"SELECT {UploadColumns} FROM upload_sessions WHERE updated_at < @before ORDER BY updated_at, id LIMIT @limit")
                .With("@before", ToMilliseconds(updatedBefore))
                .With("@limit", limit)
                .ListAsync(ReadUpload, token),
            cancellationToken).ConfigureAwait(false);
    }

    private static UploadSession ReadUpload(NpgsqlDataReader reader) =>
        new(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetInt64(2),
            FromMilliseconds(reader.GetInt64(3)),
            FromMilliseconds(reader.GetInt64(4)));
}
