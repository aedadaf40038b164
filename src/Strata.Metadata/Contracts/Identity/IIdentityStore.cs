namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// Users, projects, members, robots and the audit log, in the same database as the registry's
/// metadata (schema version 4). Names compare ordinally. Creations return null when the name is
/// taken; updates and deletions return false when the row does not exist.
/// </summary>
public interface IIdentityStore
{
    Task<UserRecord?> CreateUserAsync(NewUser user, CancellationToken cancellationToken);

    Task<UserRecord?> GetUserAsync(string username, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken);

    Task<long> CountUsersAsync(CancellationToken cancellationToken);

    Task<bool> UpdateUserAsync(string username, UserUpdate update, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash and the stamp (which revokes every token of the user).</summary>
    Task<bool> SetPasswordAsync(string username, string passwordHash, string stamp, CancellationToken cancellationToken);

    /// <summary>Deletes the user and its memberships.</summary>
    Task<bool> DeleteUserAsync(string username, CancellationToken cancellationToken);

    /// <summary>Creates the project and, when <paramref name="ownerUserId"/> is given, makes that user its project admin, in one transaction.</summary>
    Task<ProjectRecord?> CreateProjectAsync(NewProject project, long? ownerUserId, CancellationToken cancellationToken);

    Task<ProjectRecord?> GetProjectAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancellationToken);

    Task<bool> UpdateProjectAsync(string name, ProjectUpdate update, CancellationToken cancellationToken);

    /// <summary>Deletes the project, its memberships, its project-level robots and every robot permission naming it.</summary>
    Task<bool> DeleteProjectAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds the user to the project or changes its role; true when the membership is new.</summary>
    Task<bool> SetMemberAsync(long projectId, long userId, string role, CancellationToken cancellationToken);

    Task<bool> RemoveMemberAsync(long projectId, long userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<MemberRecord>> ListMembersAsync(long projectId, CancellationToken cancellationToken);

    /// <summary>Every project the user is a member of, with the role.</summary>
    Task<IReadOnlyList<MemberRecord>> ListMembershipsAsync(long userId, CancellationToken cancellationToken);

    Task<RobotRecord?> CreateRobotAsync(NewRobot robot, CancellationToken cancellationToken);

    Task<RobotRecord?> GetRobotAsync(string name, CancellationToken cancellationToken);

    Task<RobotRecord?> GetRobotByIdAsync(long id, CancellationToken cancellationToken);

    /// <summary>The robots of one project, or (<paramref name="projectId"/> null) the system-level robots.</summary>
    Task<IReadOnlyList<RobotRecord>> ListRobotsAsync(long? projectId, CancellationToken cancellationToken);

    Task<bool> UpdateRobotAsync(long id, RobotUpdate update, CancellationToken cancellationToken);

    /// <summary>Replaces the secret hash and the stamp (which revokes every token of the robot).</summary>
    Task<bool> SetRobotSecretAsync(long id, string secretHash, string stamp, CancellationToken cancellationToken);

    Task<bool> DeleteRobotAsync(long id, CancellationToken cancellationToken);

    /// <summary>Appends entries in one transaction (ids are assigned in order).</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken);
}
