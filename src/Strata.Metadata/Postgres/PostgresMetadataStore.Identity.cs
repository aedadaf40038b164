using Npgsql;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Metadata.Postgres;

/// <summary>Users, projects and members (schema version 4, <see cref="PostgresIdentitySchema"/>).</summary>
public sealed partial class PostgresMetadataStore : IIdentityStore
{
    private const string UserColumns = "id, username, email, full_name, password_hash, is_admin, stamp, created_at, updated_at";
    private const string ProjectColumns = "id, name, is_public, storage_quota, publish_private, created_at, updated_at";
    private const string MemberSelect = """
        SELECT m.project_id, p.name, m.user_id, u.username, m.role, m.created_at
        FROM project_members m JOIN projects p ON p.id = m.project_id JOIN users u ON u.id = m.user_id
        """;

    /// <inheritdoc />
    public Task<UserRecord?> CreateUserAsync(NewUser user, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) =>
        {
            var now = NowMilliseconds();
            var id = await transaction.Command(
                    """
                    INSERT INTO users (username, email, full_name, password_hash, is_admin, stamp, created_at, updated_at)
                    VALUES (@username, @email, @full_name, @hash, @admin, @stamp, @now, @now)
                    ON CONFLICT (username) DO NOTHING RETURNING id
                    """)
                .With("@username", user.Username).WithNullable("@email", user.Email).WithNullable("@full_name", user.FullName)
                .With("@hash", user.PasswordHash).With("@admin", user.IsAdmin).With("@stamp", user.Stamp).With("@now", now)
                .ScalarAsync<long?>(token).ConfigureAwait(false);
            var at = FromMilliseconds(now);
            return id is { } value
                ? new UserRecord(value, user.Username, user.Email, user.FullName, user.PasswordHash, user.IsAdmin, user.Stamp, at, at)
                : null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<UserRecord?> GetUserAsync(string username, CancellationToken cancellationToken) =>
        ReadAsync((connection, token) => connection.Command($"SELECT {UserColumns} FROM users WHERE username = @name")
            .With("@name", username).FirstOrDefaultAsync(ReadUser, token), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken) =>
        await ReadAsync((connection, token) => connection.Command($"SELECT {UserColumns} FROM users ORDER BY username")
            .ListAsync(ReadUser, token), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<long> CountUsersAsync(CancellationToken cancellationToken) =>
        ReadAsync((connection, token) => connection.Command("SELECT COUNT(*) FROM users").ScalarAsync<long>(token), cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateUserAsync(string username, UserUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command(
                """
                UPDATE users SET email = COALESCE(@email, email), full_name = COALESCE(@full_name, full_name),
                    is_admin = COALESCE(@admin, is_admin), updated_at = @now
                WHERE username = @name
                """)
            .WithNullable("@email", update.Email).WithNullable("@full_name", update.FullName).WithNullable("@admin", update.IsAdmin)
            .With("@now", NowMilliseconds()).With("@name", username)
            .ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetPasswordAsync(string username, string passwordHash, string stamp, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command(
                "UPDATE users SET password_hash = @hash, stamp = @stamp, updated_at = @now WHERE username = @name")
            .With("@hash", passwordHash).With("@stamp", stamp).With("@now", NowMilliseconds()).With("@name", username)
            .ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteUserAsync(string username, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command("DELETE FROM users WHERE username = @name")
            .With("@name", username).ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectRecord?> CreateProjectAsync(NewProject project, long? ownerUserId, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) =>
        {
            var now = NowMilliseconds();
            var id = await transaction.Command(
                    """
                    INSERT INTO projects (name, is_public, storage_quota, publish_private, created_at, updated_at)
                    VALUES (@name, @public, @quota, @publish, @now, @now)
                    ON CONFLICT (name) DO NOTHING RETURNING id
                    """)
                .With("@name", project.Name).With("@public", project.IsPublic).With("@quota", project.StorageQuotaBytes)
                .With("@publish", project.PublishPrivate).With("@now", now)
                .ScalarAsync<long?>(token).ConfigureAwait(false);
            if (id is not { } projectId)
            {
                return null;
            }

            if (ownerUserId is { } owner)
            {
                await transaction.Command(
                        "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (@project, @user, 'projectAdmin', @now)")
                    .With("@project", projectId).With("@user", owner).With("@now", now)
                    .ExecuteAsync(token).ConfigureAwait(false);
            }

            var at = FromMilliseconds(now);
            return new ProjectRecord(projectId, project.Name, project.IsPublic, project.StorageQuotaBytes, project.PublishPrivate, at, at);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ProjectRecord?> GetProjectAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync((connection, token) => connection.Command($"SELECT {ProjectColumns} FROM projects WHERE name = @name")
            .With("@name", name).FirstOrDefaultAsync(ReadProject, token), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancellationToken) =>
        await ReadAsync((connection, token) => connection.Command($"SELECT {ProjectColumns} FROM projects ORDER BY name")
            .ListAsync(ReadProject, token), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<bool> UpdateProjectAsync(string name, ProjectUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command(
                """
                UPDATE projects SET is_public = COALESCE(@public, is_public), storage_quota = COALESCE(@quota, storage_quota),
                    publish_private = COALESCE(@publish, publish_private), updated_at = @now
                WHERE name = @name
                """)
            .WithNullable("@public", update.IsPublic).WithNullable("@quota", update.StorageQuotaBytes).WithNullable("@publish", update.PublishPrivate)
            .With("@now", NowMilliseconds()).With("@name", name)
            .ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteProjectAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command("DELETE FROM projects WHERE name = @name")
            .With("@name", name).ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetMemberAsync(long projectId, long userId, string role, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) =>
        {
            // xmax = 0 only for a row this statement inserted (an update leaves the old version's xid).
            var inserted = await transaction.Command(
                    """
                    INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (@project, @user, @role, @now)
                    ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role
                    RETURNING (xmax = 0)
                    """)
                .With("@project", projectId).With("@user", userId).With("@role", role).With("@now", NowMilliseconds())
                .ScalarAsync<bool>(token).ConfigureAwait(false);
            return inserted;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveMemberAsync(long projectId, long userId, CancellationToken cancellationToken) =>
        WriteAsync(async (transaction, token) => await transaction.Command(
                "DELETE FROM project_members WHERE project_id = @project AND user_id = @user")
            .With("@project", projectId).With("@user", userId).ExecuteAsync(token).ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemberRecord>> ListMembersAsync(long projectId, CancellationToken cancellationToken) =>
        await ReadAsync((connection, token) => connection.Command(MemberSelect + " WHERE m.project_id = @project ORDER BY u.username")
            .With("@project", projectId).ListAsync(ReadMember, token), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemberRecord>> ListMembershipsAsync(long userId, CancellationToken cancellationToken) =>
        await ReadAsync((connection, token) => connection.Command(MemberSelect + " WHERE m.user_id = @user ORDER BY p.name")
            .With("@user", userId).ListAsync(ReadMember, token), cancellationToken).ConfigureAwait(false);

    private static UserRecord ReadUser(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetNullableString(2), r.GetNullableString(3), r.GetString(4), r.GetBoolean(5), r.GetString(6),
        FromMilliseconds(r.GetInt64(7)), FromMilliseconds(r.GetInt64(8)));

    private static ProjectRecord ReadProject(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetBoolean(2), r.GetInt64(3), r.GetBoolean(4), FromMilliseconds(r.GetInt64(5)), FromMilliseconds(r.GetInt64(6)));

    private static MemberRecord ReadMember(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), FromMilliseconds(r.GetInt64(5)));
}
