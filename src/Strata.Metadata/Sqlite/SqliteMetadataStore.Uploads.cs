using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    private const string UploadColumns = "id, repository, size, started_at, updated_at";

    /// <inheritdoc />
    public Task CreateUploadAsync(UploadSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return WriteAsync(
            transaction => transaction.Execute(
                $"INSERT INTO upload_sessions ({UploadColumns}) VALUES (@id, @repository, @size, @startedAt, @updatedAt)",
                ("@id", session.Id.ToString("D")),
                ("@repository", session.Repository),
                ("@size", session.Size),
                ("@startedAt", UnixMilliseconds.From(session.StartedAt)),
                ("@updatedAt", UnixMilliseconds.From(session.UpdatedAt))),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<UploadSession?> GetUploadAsync(string repository, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command($"SELECT {UploadColumns} FROM upload_sessions WHERE id = @id AND repository = @repository")
            .With("@id", id.ToString("D"))
            .With("@repository", repository);
        var sessions = await ReadUploadsAsync(command, cancellationToken).ConfigureAwait(false);
        return sessions.Count == 0 ? null : sessions[0];
    }

    /// <inheritdoc />
    /// <remarks>Does nothing when the session is gone (completed or expired concurrently).</remarks>
    public Task UpdateUploadAsync(Guid id, long size, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction => transaction.Execute(
                "UPDATE upload_sessions SET size = @size, updated_at = @updatedAt WHERE id = @id",
                ("@id", id.ToString("D")),
                ("@size", size),
                ("@updatedAt", UnixMilliseconds.From(updatedAt))),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteUploadAsync(Guid id, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction => transaction.Execute("DELETE FROM upload_sessions WHERE id = @id", ("@id", id.ToString("D"))) > 0,
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<UploadSession>> ListStaleUploadsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection
            .Command($"SELECT {UploadColumns} FROM upload_sessions WHERE updated_at < @before ORDER BY updated_at, id LIMIT @limit")
            .With("@before", UnixMilliseconds.From(updatedBefore))
            .With("@limit", limit);
        return await ReadUploadsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<UploadSession>> ReadUploadsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var sessions = new List<UploadSession>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sessions.Add(new UploadSession(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetInt64(2),
                UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(3)),
                UnixMilliseconds.ToDateTimeOffset(reader.GetInt64(4))));
        }

        return sessions;
    }
}
