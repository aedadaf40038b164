using System.Text;
using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Sqlite;

/// <summary>The audit log.</summary>
public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0
            ? Task.CompletedTask
            : WriteAsync(transaction =>
            {
                using var command = transaction.Command(
                    """
                    INSERT INTO audit_log (at, actor, action, resource, project, success, client, detail)
                    VALUES (@at, @actor, @action, @resource, @project, @success, @client, @detail)
                    """);
                var parameters = new[] { "@at", "@actor", "@action", "@resource", "@project", "@success", "@client", "@detail" }
                    .Select(name => command.Parameters.Add(name, SqliteType.Text)).ToArray();
                parameters[0].SqliteType = SqliteType.Integer;
                parameters[5].SqliteType = SqliteType.Integer;
                foreach (var entry in entries)
                {
                    parameters[0].Value = UnixMilliseconds.From(entry.At);
                    parameters[1].Value = entry.Actor;
                    parameters[2].Value = entry.Action;
                    parameters[3].Value = entry.Resource;
                    parameters[4].Value = (object?)entry.Project ?? DBNull.Value;
                    parameters[5].Value = entry.Success ? 1 : 0;
                    parameters[6].Value = (object?)entry.Client ?? DBNull.Value;
                    parameters[7].Value = (object?)entry.Detail ?? DBNull.Value;
                    command.ExecuteNonQuery();
                }

                return 0;
            }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT id, at, actor, action, resource, project, success, client, detail FROM audit_log WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }

        Filter("actor = @actor", "@actor", query.Actor);
        Filter("action = @action", "@action", query.Action);
        Filter("project = @project", "@project", query.Project);
        Filter("at >= @from", "@from", query.From is { } from ? UnixMilliseconds.From(from) : null);
        Filter("at < @to", "@to", query.To is { } to ? UnixMilliseconds.From(to) : null);
        Filter("id < @before", "@before", query.BeforeId);
        sql.Append(" ORDER BY id DESC LIMIT @limit");
        parameters.Add(("@limit", Math.Max(0, query.Limit)));
        return QueryAsync(sql.ToString(), ReadAudit, cancellationToken, [.. parameters]);
    }

    private static AuditEntry ReadAudit(SqliteDataReader r) => new(
        r.GetInt64(0), UnixMilliseconds.ToDateTimeOffset(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4),
        NullableString(r, 5), r.GetInt64(6) != 0, NullableString(r, 7), NullableString(r, 8));
}
