using System.Text;
using Npgsql;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Postgres;

/// <summary>The audit log.</summary>
public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0
            ? Task.CompletedTask
            : WriteAsync(async (transaction, token) =>
            {
                // One statement for the batch: unnest of parallel arrays keeps it a single round trip.
                await transaction.Command(
                        """
                        INSERT INTO audit_log (at, actor, action, resource, project, success, client, detail)
                        SELECT * FROM unnest(@at, @actor, @action, @resource, @project, @success, @client, @detail)
                        """)
                    .With("@at", entries.Select(e => ToMilliseconds(e.At)).ToArray())
                    .With("@actor", entries.Select(e => e.Actor).ToArray())
                    .With("@action", entries.Select(e => e.Action).ToArray())
                    .With("@resource", entries.Select(e => e.Resource).ToArray())
                    .With("@project", entries.Select(e => e.Project).ToArray())
                    .With("@success", entries.Select(e => e.Success).ToArray())
                    .With("@client", entries.Select(e => e.Client).ToArray())
                    .With("@detail", entries.Select(e => e.Detail).ToArray())
                    .ExecuteAsync(token).ConfigureAwait(false);
                return 0;
            }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken) =>
        await ReadAsync((connection, token) =>
        {
            var sql = new StringBuilder("SELECT id, at, actor, action, resource, project, success, client, detail FROM audit_log WHERE true");
            var command = connection.Command("");
            if (query.Actor is not null)
            {
                sql.Append(" AND actor = @actor");
                command.With("@actor", query.Actor);
            }

            if (query.Action is not null)
            {
                sql.Append(" AND action = @action");
                command.With("@action", query.Action);
            }

            if (query.Project is not null)
            {
                sql.Append(" AND project = @project");
                command.With("@project", query.Project);
            }

            if (query.From is { } from)
            {
                sql.Append(" AND at >= @from");
                command.With("@from", ToMilliseconds(from));
            }

            if (query.To is { } to)
            {
                sql.Append(" AND at < @to");
                command.With("@to", ToMilliseconds(to));
            }

            if (query.BeforeId is { } before)
            {
                sql.Append(" AND id < @before");
                command.With("@before", before);
            }

            sql.Append(" ORDER BY id DESC LIMIT @limit");
            command.With("@limit", Math.Max(0, query.Limit));
            command.CommandText = sql.ToString();
            return command.ListAsync(ReadAudit, token);
        }, cancellationToken).ConfigureAwait(false);

    private static AuditEntry ReadAudit(NpgsqlDataReader r) => new(
        r.GetInt64(0), FromMilliseconds(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetNullableString(5), r.GetBoolean(6), r.GetNullableString(7), r.GetNullableString(8));
}
