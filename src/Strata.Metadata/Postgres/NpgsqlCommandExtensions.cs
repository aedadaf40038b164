using Npgsql;

namespace Strata.Metadata.Postgres;

/// <summary>Keeps the store's SQL readable: build a command, bind typed parameters, run it, dispose it.</summary>
internal static class NpgsqlCommandExtensions
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql) => new(sql, connection);

    public static NpgsqlCommand Command(this NpgsqlTransaction transaction, string sql) => new(sql, transaction.Connection, transaction);

    /// <summary>
    /// Binds a parameter typed by <typeparamref name="T"/>, so a null still has a type (an untyped null
    /// leaves PostgreSQL guessing, and <c>COALESCE(@p, …)</c> fails to plan).
    /// </summary>
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    /// <summary>Overrides the connection's command timeout (seconds; 0 waits without limit).</summary>
    public static NpgsqlCommand WithTimeout(this NpgsqlCommand command, int seconds)
    {
        command.CommandTimeout = seconds;
        return command;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first column of the first row, or default when there is no row (or it is NULL).</summary>
    public static async Task<T?> ScalarAsync<T>(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? default : (T)value;
        }
    }

    /// <summary>Maps every row with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    /// <summary>Maps the first row with <paramref name="read"/>, or null when there is none.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
        }
    }

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
