using Npgsql;
using NpgsqlTypes;

namespace Strata.Metadata.Postgres;

/// <summary>
/// Typed parameters for optional values (partial updates, optional foreign keys): the type is
/// stated, so <c>COALESCE(@p, column)</c> plans even when the value is NULL.
/// </summary>
internal static class NpgsqlNullableParameters
{
    public static NpgsqlCommand WithNullable(this NpgsqlCommand command, string name, long? value) =>
        Add(command, name, NpgsqlDbType.Bigint, value);

    public static NpgsqlCommand WithNullable(this NpgsqlCommand command, string name, bool? value) =>
        Add(command, name, NpgsqlDbType.Boolean, value);

    public static NpgsqlCommand WithNullable(this NpgsqlCommand command, string name, string? value) =>
        Add(command, name, NpgsqlDbType.Text, value);

    private static NpgsqlCommand Add(NpgsqlCommand command, string name, NpgsqlDbType type, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}
