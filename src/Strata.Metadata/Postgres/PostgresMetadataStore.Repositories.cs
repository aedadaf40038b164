using Npgsql;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public Task<bool> RepositoryExistsAsync(string repository, CancellationToken cancellationToken) =>
        ReadAsync(
            async (connection, token) => await connection.Command("SELECT 1 FROM repositories WHERE name = @name")
                .With("@name", repository)
                .ScalarAsync<object>(token).ConfigureAwait(false) is not null,
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == 0)
        {
            return [];
        }

        // Keyset pagination over the unique index on name (COLLATE "C", so ordinal). Two statements
        // rather than "@last IS NULL OR name > @last", which would hide the range from the planner.
        var sql = last is null
            ? "SELECT name FROM repositories ORDER BY name LIMIT @limit"
            : "SELECT name FROM repositories WHERE name > @last ORDER BY name LIMIT @limit";
        return await ReadAsync(
            (connection, token) => connection.Command(sql)
                .With("@last", last)
                .With("@limit", limit)
                .ListAsync(reader => reader.GetString(0), token),
            cancellationToken).ConfigureAwait(false);
    }

    private static Task<long?> FindRepositoryIdAsync(NpgsqlTransaction transaction, string repository, CancellationToken cancellationToken) =>
        transaction.Command("SELECT id FROM repositories WHERE name = @name")
            .With("@name", repository)
            .ScalarAsync<long?>(cancellationToken);

    /// <summary>The repository's id, creating the repository if it is new (racing creators all get the one row).</summary>
    private async Task<long> EnsureRepositoryAsync(NpgsqlTransaction transaction, string repository, CancellationToken cancellationToken)
    {
        // Repositories are never deleted, so at most two rounds: a creator that loses the race waits in
        // ON CONFLICT for the winner's commit, and the next statement (READ COMMITTED) sees its row.
        for (var round = 0; round < 3; round++)
        {
            if (await FindRepositoryIdAsync(transaction, repository, cancellationToken).ConfigureAwait(false) is { } id)
            {
                return id;
            }

            var inserted = await transaction
                .Command("INSERT INTO repositories (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING RETURNING id")
                .With("@name", repository)
                .With("@now", NowMilliseconds())
                .ScalarAsync<long?>(cancellationToken).ConfigureAwait(false);
            if (inserted is { } newId)
            {
                return newId;
            }
        }

        throw new InvalidOperationException($"Repository '{repository}' could neither be found nor created.");
    }
}
