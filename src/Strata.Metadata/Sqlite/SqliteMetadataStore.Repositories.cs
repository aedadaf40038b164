using Microsoft.Data.Sqlite;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public async Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT 1 FROM repositories WHERE name = @name").With("@name", repository);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        // Two statements rather than "@last IS NULL OR name > @last": the OR hides the range from the
        // planner, which then walks the index from the start and deep pages get slower.
        var sql = last is null
            ? "SELECT name FROM repositories ORDER BY name LIMIT @limit"
            : "SELECT name FROM repositories WHERE name > @last ORDER BY name LIMIT @limit";
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(sql).With("@last", last).With("@limit", limit);
        return await ReadStringsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static long? FindRepositoryId(SqliteTransaction transaction, string repository) =>
        transaction.Scalar("SELECT id FROM repositories WHERE name = @name", ("@name", repository)) as long?;

    /// <summary>The repository's id, creating the repository if it is new.</summary>
    private long EnsureRepository(SqliteTransaction transaction, string repository)
    {
        if (FindRepositoryId(transaction, repository) is { } id)
        {
            return id;
        }

        return (long)transaction.Scalar(
            "INSERT INTO repositories (name, created_at) VALUES (@name, @now) RETURNING id",
            ("@name", repository),
            ("@now", NowMilliseconds()))!;
    }
}
