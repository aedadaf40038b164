using Npgsql;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Postgres;

/// <summary>Robot accounts and their permissions.</summary>
public sealed partial class PostgresMetadataStore
{
    private const string RobotColumns = "id, name, description, project_id, secret_hash, stamp, expires_at, disabled, created_at, updated_at";
    private const string PermissionSelect = """
        SELECT rp.project_id, p.name, rp.access, rp.robot_id
        FROM robot_permissions rp LEFT JOIN projects p ON p.id = rp.project_id
        """;

    /// <inheritdoc />
    public Task<RobotRecord?> CreateRobotAsync(NewRobot robot, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) =>
        {
            var now = NowMilliseconds();
            var id = await transaction.Command(
                    """
                    INSERT INTO robots (name, description, project_id, secret_hash, stamp, expires_at, disabled, created_at, updated_at)
                    VALUES (@name, @description, @project, @hash, @stamp, @expires, false, @now, @now)
                    ON CONFLICT (name) DO NOTHING RETURNING id
                    """)
                .With("@name", robot.Name).WithNullable("@description", robot.Description).WithNullable("@project", robot.ProjectId)
                .With("@hash", robot.SecretHash).With("@stamp", robot.Stamp)
                .WithNullable("@expires", robot.ExpiresAt is { } e ? (long?)ToMilliseconds(e) : null).With("@now", now)
                .ScalarAsync<long?>(token).ConfigureAwait(false);
            if (id is not { } robotId)
            {
                return null;
            }

            await WritePermissionsAsync(transaction, robotId, robot.Permissions, token).ConfigureAwait(false);
            var rows = await ReadRobotsAsync(transaction.Connection!, "id = @key", robotId, token).ConfigureAwait(false);
            return rows.FirstOrDefault();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<RobotRecord?> GetRobotAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, token) => (await ReadRobotsAsync(connection, "name = @key", name, token).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<RobotRecord?> GetRobotByIdAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, token) => (await ReadRobotsAsync(connection, "id = @key", id, token).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RobotRecord>> ListRobotsAsync(long? projectId, CancellationToken cancellationToken) =>
        ReadAsync(
            (connection, token) => projectId is { } id
                ? ReadRobotsAsync(connection, "project_id = @key", id, token)
                : ReadRobotsAsync(connection, "project_id IS NULL", 0L, token),
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateRobotAsync(long id, RobotUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) =>
        {
            var changed = await transaction.Command(
                    """
                    UPDATE robots SET description = COALESCE(@description, description), disabled = COALESCE(@disabled, disabled),
                        expires_at = CASE WHEN @clear THEN NULL ELSE COALESCE(@expires, expires_at) END, updated_at = @now
                    WHERE id = @id
                    """)
                .WithNullable("@description", update.Description).WithNullable("@disabled", update.Disabled).With("@clear", update.ClearExpiry)
                .WithNullable("@expires", update.ExpiresAt is { } e ? (long?)ToMilliseconds(e) : null).With("@now", NowMilliseconds()).With("@id", id)
                .ExecuteAsync(token).ConfigureAwait(false) == 1;
            if (changed && update.Permissions is not null)
            {
                await transaction.Command("DELETE FROM robot_permissions WHERE robot_id = @id").With("@id", id).ExecuteAsync(token).ConfigureAwait(false);
                await WritePermissionsAsync(transaction, id, update.Permissions, token).ConfigureAwait(false);
            }

            return changed;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetRobotSecretAsync(long id, string secretHash, string stamp, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command(
                "UPDATE robots SET secret_hash = @hash, stamp = @stamp, updated_at = @now WHERE id = @id")
            .With("@hash", secretHash).With("@stamp", stamp).With("@now", NowMilliseconds()).With("@id", id)
            .ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteRobotAsync(long id, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command("DELETE FROM robots WHERE id = @id")
            .With("@id", id).ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    private static async Task WritePermissionsAsync(NpgsqlTransaction transaction, long robotId, IReadOnlyList<RobotPermission> permissions, CancellationToken cancellationToken)
    {
        foreach (var permission in permissions)
        {
            await transaction.Command("INSERT INTO robot_permissions (robot_id, project_id, access) VALUES (@robot, @project, @access)")
                .With("@robot", robotId).WithNullable("@project", permission.ProjectId).With("@access", string.Join(',', permission.Access))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<RobotRecord>> ReadRobotsAsync<TKey>(NpgsqlConnection connection, string where, TKey key, CancellationToken cancellationToken)
    {
        var robots = await connection.Command($"SELECT {RobotColumns} FROM robots WHERE {where} ORDER BY name")
            .With("@key", key)
            .ListAsync(ReadRobotRow, cancellationToken).ConfigureAwait(false);
        if (robots.Count == 0)
        {
            return robots;
        }

        var permissions = await connection.Command(PermissionSelect + " WHERE rp.robot_id = ANY(@ids) ORDER BY rp.robot_id, p.name")
            .With("@ids", robots.Select(r => r.Id).ToArray())
            .ListAsync(r => (RobotId: r.GetInt64(3), Permission: new RobotPermission(
                r.IsDBNull(0) ? null : r.GetInt64(0), r.GetNullableString(1), r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries))), cancellationToken)
            .ConfigureAwait(false);
        var byRobot = permissions.ToLookup(p => p.RobotId, p => p.Permission);
        return robots.Select(r => r with { Permissions = byRobot[r.Id].ToList() }).ToList();
    }

    private static RobotRecord ReadRobotRow(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : FromMilliseconds(r.GetInt64(6)), r.GetBoolean(7), [], FromMilliseconds(r.GetInt64(8)), FromMilliseconds(r.GetInt64(9)));
}
