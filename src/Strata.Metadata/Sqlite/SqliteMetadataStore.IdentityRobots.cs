using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Sqlite;

/// <summary>Robot accounts and their permissions.</summary>
public sealed partial class SqliteMetadataStore
{
    private const string RobotColumns = "id, name, description, project_id, secret_hash, stamp, expires_at, disabled, created_at, updated_at";

    /// <inheritdoc />
    public Task<RobotRecord?> CreateRobotAsync(NewRobot robot, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            var now = NowMilliseconds();
            if (transaction.Scalar(
                    """
                    INSERT INTO robots (name, description, project_id, secret_hash, stamp, expires_at, disabled, created_at, updated_at)
                    VALUES (@name, @description, @project, @hash, @stamp, @expires, 0, @now, @now)
                    ON CONFLICT (name) DO NOTHING RETURNING id
                    """,
                    ("@name", robot.Name), ("@description", robot.Description), ("@project", robot.ProjectId), ("@hash", robot.SecretHash),
                    ("@stamp", robot.Stamp), ("@expires", robot.ExpiresAt is { } e ? (long?)UnixMilliseconds.From(e) : null), ("@now", now)) is not long id)
            {
                return null;
            }

            WritePermissions(transaction, id, robot.Permissions);
            return ReadRobot(transaction, id);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<RobotRecord?> GetRobotAsync(string name, CancellationToken cancellationToken) =>
        (await ReadRobotsAsync("name = @key", name, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public async Task<RobotRecord?> GetRobotByIdAsync(long id, CancellationToken cancellationToken) =>
        (await ReadRobotsAsync("id = @key", id, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<RobotRecord>> ListRobotsAsync(long? projectId, CancellationToken cancellationToken) =>
        projectId is null
            ? ReadRobotsAsync("project_id IS NULL", null, cancellationToken)
            : ReadRobotsAsync("project_id = @key", projectId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateRobotAsync(long id, RobotUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            var changed = transaction.Execute(
                """
                UPDATE robots SET description = COALESCE(@description, description), disabled = COALESCE(@disabled, disabled),
                    expires_at = CASE WHEN @clear THEN NULL ELSE COALESCE(@expires, expires_at) END, updated_at = @now
                WHERE id = @id
                """,
                ("@description", update.Description), ("@disabled", update.Disabled), ("@clear", update.ClearExpiry),
                ("@expires", update.ExpiresAt is { } e ? (long?)UnixMilliseconds.From(e) : null), ("@now", NowMilliseconds()), ("@id", id)) == 1;
            if (changed && update.Permissions is not null)
            {
                transaction.Execute("DELETE FROM robot_permissions WHERE robot_id = @id", ("@id", id));
                WritePermissions(transaction, id, update.Permissions);
            }

            return changed;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetRobotSecretAsync(long id, string secretHash, string stamp, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute(
            "UPDATE robots SET secret_hash = @hash, stamp = @stamp, updated_at = @now WHERE id = @id",
            ("@hash", secretHash), ("@stamp", stamp), ("@now", NowMilliseconds()), ("@id", id)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteRobotAsync(long id, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute("DELETE FROM robots WHERE id = @id", ("@id", id)) == 1, cancellationToken);

    private static void WritePermissions(SqliteTransaction transaction, long robotId, IReadOnlyList<RobotPermission> permissions)
    {
        foreach (var permission in permissions)
        {
            transaction.Execute(
                "INSERT INTO robot_permissions (robot_id, project_id, access) VALUES (@robot, @project, @access)",
                ("@robot", robotId), ("@project", permission.ProjectId), ("@access", string.Join(',', permission.Access)));
        }
    }

    private static RobotRecord? ReadRobot(SqliteTransaction transaction, long id)
    {
        using var command = transaction.Command($"SELECT {RobotColumns} FROM robots WHERE id = @id").With("@id", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var robot = ReadRobotRow(reader);
        reader.Close();
        using var permissions = transaction.Command(PermissionsSql("= @id")).With("@id", id);
        using var rows = permissions.ExecuteReader();
        var list = new List<RobotPermission>();
        while (rows.Read())
        {
            list.Add(ReadPermission(rows));
        }

        return robot with { Permissions = list };
    }

    private async Task<IReadOnlyList<RobotRecord>> ReadRobotsAsync(string where, object? key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        var robots = new List<RobotRecord>();
        await using (var command = connection.Command($"SELECT {RobotColumns} FROM robots WHERE {where} ORDER BY name").With("@key", key))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                robots.Add(ReadRobotRow(reader));
            }
        }

        if (robots.Count == 0)
        {
            return robots;
        }

        var byRobot = new Dictionary<long, List<RobotPermission>>();
        var ids = string.Join(',', robots.Select(r => r.Id));
        await using (var command = connection.Command(PermissionsSql($"IN ({ids})")))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var robotId = reader.GetInt64(3);
                if (!byRobot.TryGetValue(robotId, out var list))
                {
                    byRobot[robotId] = list = [];
                }

                list.Add(ReadPermission(reader));
            }
        }

        return robots.Select(r => r with { Permissions = byRobot.GetValueOrDefault(r.Id) ?? [] }).ToList();
    }

    // Ids come from the database (integers), never from a caller, so formatting them into IN (…) is safe.
    private static string PermissionsSql(string robotCondition) => $"""
        SELECT rp.project_id, p.name, rp.access, rp.robot_id
        FROM robot_permissions rp LEFT JOIN projects p ON p.id = rp.project_id
        WHERE rp.robot_id {robotCondition} ORDER BY rp.robot_id, p.name
        """;

    private static RobotPermission ReadPermission(SqliteDataReader r) => new(
        r.IsDBNull(0) ? null : r.GetInt64(0),
        NullableString(r, 1),
        r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries));

    private static RobotRecord ReadRobotRow(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), NullableString(r, 2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : UnixMilliseconds.ToDateTimeOffset(r.GetInt64(6)), r.GetInt64(7) != 0, [],
        UnixMilliseconds.ToDateTimeOffset(r.GetInt64(8)), UnixMilliseconds.ToDateTimeOffset(r.GetInt64(9)));
}
