using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Sqlite;

/// <summary>The audit log.</summary>
public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One statement prepared per batch and driven through SQLite's own API (bind by position, step,
    /// reset): Microsoft.Data.Sqlite re-binds every parameter by name on each execution (a UTF-8
    /// copy of the name and a linear search per parameter), which cost more than SQLite's insert
    /// itself — 4.7 against 2.7 CPU µs per row, measured on 512-row batches. The statement runs
    /// inside the store's usual write transaction on its write connection.
    /// </remarks>
    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0
            ? Task.CompletedTask
            : WriteAsync(transaction =>
            {
                var db = transaction.Connection!.Handle!;
                Check(db, raw.sqlite3_prepare_v2(db,
                    "INSERT INTO audit_log (at, actor, action, resource, project, success, client, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    out sqlite3_stmt statement));
                using (statement)
                {
                    foreach (var entry in entries)
                    {
                        Check(db, raw.sqlite3_bind_int64(statement, 1, UnixMilliseconds.From(entry.At)));
                        Check(db, raw.sqlite3_bind_text(statement, 2, entry.Actor));
                        Check(db, raw.sqlite3_bind_text(statement, 3, entry.Action));
                        Check(db, raw.sqlite3_bind_text(statement, 4, entry.Resource));
                        Check(db, BindNullable(statement, 5, entry.Project));
                        Check(db, raw.sqlite3_bind_int64(statement, 6, entry.Success ? 1 : 0));
                        Check(db, BindNullable(statement, 7, entry.Client));
                        Check(db, BindNullable(statement, 8, entry.Detail));
                        var step = raw.sqlite3_step(statement);
                        if (step != raw.SQLITE_DONE)
                        {
                            Check(db, step);
                        }

                        Check(db, raw.sqlite3_reset(statement));
                    }
                }

                return 0;
            }, cancellationToken);

    private static int BindNullable(sqlite3_stmt statement, int index, string? value) =>
        value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value);

    /// <summary>Turns a SQLite result code into the same exception Microsoft.Data.Sqlite throws (the transaction then rolls back).</summary>
    private static void Check(sqlite3 db, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(result, db);
        }
    }

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
