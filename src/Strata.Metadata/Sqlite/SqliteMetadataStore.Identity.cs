using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Sqlite;

/// <summary>Users, projects and members (schema version 4, <see cref="SqliteIdentitySchema"/>).</summary>
public sealed partial class SqliteMetadataStore : IIdentityStore
{
    private const string UserColumns = "id, username, email, full_name, password_hash, is_admin, stamp, created_at, updated_at";
    private const string ProjectColumns = "id, name, is_public, storage_quota, publish_private, created_at, updated_at";

    /// <inheritdoc />
    public Task<UserRecord?> CreateUserAsync(NewUser user, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            var now = NowMilliseconds();
            var id = transaction.Scalar(
                """
                INSERT INTO users (username, email, full_name, password_hash, is_admin, stamp, created_at, updated_at)
                VALUES (@username, @email, @full_name, @hash, @admin, @stamp, @now, @now)
                ON CONFLICT (username) DO NOTHING RETURNING id
                """,
                ("@username", user.Username), ("@email", user.Email), ("@full_name", user.FullName), ("@hash", user.PasswordHash),
                ("@admin", user.IsAdmin), ("@stamp", user.Stamp), ("@now", now)) as long?;
            var at = UnixMilliseconds.ToDateTimeOffset(now);
            return id is { } value
                ? new UserRecord(value, user.Username, user.Email, user.FullName, user.PasswordHash, user.IsAdmin, user.Stamp, at, at)
                : null;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserAsync(string username, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {UserColumns} FROM users WHERE username = @name", ReadUser, cancellationToken, ("@name", username)).ConfigureAwait(false))
        .FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {UserColumns} FROM users ORDER BY username", ReadUser, cancellationToken);

    /// <inheritdoc />
    public async Task<long> CountUsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command("SELECT COUNT(*) FROM users");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public Task<bool> UpdateUserAsync(string username, UserUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute(
            """
            UPDATE users SET email = COALESCE(@email, email), full_name = COALESCE(@full_name, full_name),
                is_admin = COALESCE(@admin, is_admin), updated_at = @now
            WHERE username = @name
            """,
            ("@email", update.Email), ("@full_name", update.FullName), ("@admin", update.IsAdmin), ("@now", NowMilliseconds()), ("@name", username)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetPasswordAsync(string username, string passwordHash, string stamp, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute(
            "UPDATE users SET password_hash = @hash, stamp = @stamp, updated_at = @now WHERE username = @name",
            ("@hash", passwordHash), ("@stamp", stamp), ("@now", NowMilliseconds()), ("@name", username)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteUserAsync(string username, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute("DELETE FROM users WHERE username = @name", ("@name", username)) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectRecord?> CreateProjectAsync(NewProject project, long? ownerUserId, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            var now = NowMilliseconds();
            if (transaction.Scalar(
                    """
                    INSERT INTO projects (name, is_public, storage_quota, publish_private, created_at, updated_at)
                    VALUES (@name, @public, @quota, @publish, @now, @now)
                    ON CONFLICT (name) DO NOTHING RETURNING id
                    """,
                    ("@name", project.Name), ("@public", project.IsPublic), ("@quota", project.StorageQuotaBytes),
                    ("@publish", project.PublishPrivate), ("@now", now)) is not long id)
            {
                return null;
            }

            if (ownerUserId is { } owner)
            {
                transaction.Execute(
                    "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (@project, @user, 'projectAdmin', @now)",
                    ("@project", id), ("@user", owner), ("@now", now));
            }

            var at = UnixMilliseconds.ToDateTimeOffset(now);
            return new ProjectRecord(id, project.Name, project.IsPublic, project.StorageQuotaBytes, project.PublishPrivate, at, at);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<ProjectRecord?> GetProjectAsync(string name, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {ProjectColumns} FROM projects WHERE name = @name", ReadProject, cancellationToken, ("@name", name)).ConfigureAwait(false))
        .FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {ProjectColumns} FROM projects ORDER BY name", ReadProject, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateProjectAsync(string name, ProjectUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute(
            """
            UPDATE projects SET is_public = COALESCE(@public, is_public), storage_quota = COALESCE(@quota, storage_quota),
                publish_private = COALESCE(@publish, publish_private), updated_at = @now
            WHERE name = @name
            """,
            ("@public", update.IsPublic), ("@quota", update.StorageQuotaBytes), ("@publish", update.PublishPrivate),
            ("@now", NowMilliseconds()), ("@name", name)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteProjectAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute("DELETE FROM projects WHERE name = @name", ("@name", name)) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetMemberAsync(long projectId, long userId, string role, CancellationToken cancellationToken) =>
        WriteAsync(transaction =>
        {
            if (transaction.Execute("UPDATE project_members SET role = @role WHERE project_id = @project AND user_id = @user",
                    ("@role", role), ("@project", projectId), ("@user", userId)) == 1)
            {
                return false;
            }

            transaction.Execute(
                "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (@project, @user, @role, @now)",
                ("@project", projectId), ("@user", userId), ("@role", role), ("@now", NowMilliseconds()));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveMemberAsync(long projectId, long userId, CancellationToken cancellationToken) =>
        WriteAsync(transaction => transaction.Execute(
            "DELETE FROM project_members WHERE project_id = @project AND user_id = @user", ("@project", projectId), ("@user", userId)) == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MemberRecord>> ListMembersAsync(long projectId, CancellationToken cancellationToken) =>
        QueryAsync(
            """
            SELECT m.project_id, p.name, m.user_id, u.username, m.role, m.created_at
            FROM project_members m JOIN projects p ON p.id = m.project_id JOIN users u ON u.id = m.user_id
            WHERE m.project_id = @project ORDER BY u.username
            """,
            ReadMember, cancellationToken, ("@project", projectId));

    /// <inheritdoc />
    public Task<IReadOnlyList<MemberRecord>> ListMembershipsAsync(long userId, CancellationToken cancellationToken) =>
        QueryAsync(
            """
            SELECT m.project_id, p.name, m.user_id, u.username, m.role, m.created_at
            FROM project_members m JOIN projects p ON p.id = m.project_id JOIN users u ON u.id = m.user_id
            WHERE m.user_id = @user ORDER BY p.name
            """,
            ReadMember, cancellationToken, ("@user", userId));

    /// <summary>Runs one read and maps every row.</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static UserRecord ReadUser(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), NullableString(r, 2), NullableString(r, 3), r.GetString(4), r.GetInt64(5) != 0, r.GetString(6),
        UnixMilliseconds.ToDateTimeOffset(r.GetInt64(7)), UnixMilliseconds.ToDateTimeOffset(r.GetInt64(8)));

    private static ProjectRecord ReadProject(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2) != 0, r.GetInt64(3), r.GetInt64(4) != 0,
        UnixMilliseconds.ToDateTimeOffset(r.GetInt64(5)), UnixMilliseconds.ToDateTimeOffset(r.GetInt64(6)));

    private static MemberRecord ReadMember(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), UnixMilliseconds.ToDateTimeOffset(r.GetInt64(5)));
}
