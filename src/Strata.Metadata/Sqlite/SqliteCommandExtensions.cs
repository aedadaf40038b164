using Microsoft.Data.Sqlite;

namespace Strata.Metadata.Sqlite;

/// <summary>Keeps the store's SQL readable: build a command, bind parameters, run it.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand Command(this SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.Command(sql);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Binds a parameter; null becomes SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static int Execute(this SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = transaction.Command(sql).WithAll(parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(this SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = transaction.Command(sql).WithAll(parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand WithAll(this SqliteCommand command, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        return command;
    }
}
