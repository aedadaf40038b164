using Strata.Metadata.Contracts.Identity;

namespace Strata.Server.Management;

/// <summary>A user as the API shows it (never the password hash or the stamp).</summary>
public sealed record UserView(long Id, string Username, string? Email, string? FullName, bool IsAdmin, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserView From(UserRecord user) => new(user.Id, user.Username, user.Email, user.FullName, user.IsAdmin, user.CreatedAt, user.UpdatedAt);
}

/// <summary>A project; <see cref="CurrentUserRole"/> is the caller's role in it, if any.</summary>
public sealed record ProjectView(long Id, string Name, bool Public, long StorageQuotaBytes, bool PublishPrivate, string? CurrentUserRole, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProjectView From(ProjectRecord project, string? role = null) =>
        new(project.Id, project.Name, project.IsPublic, project.StorageQuotaBytes, project.PublishPrivate, role, project.CreatedAt, project.UpdatedAt);
}

/// <summary>A project member.</summary>
public sealed record MemberView(string Username, string Role, DateTimeOffset CreatedAt)
{
    public static MemberView From(MemberRecord member) => new(member.Username, member.Role, member.CreatedAt);
}

/// <summary>A robot's grants in one project (<c>*</c>: every project).</summary>
public sealed record RobotGrantView(string Project, IReadOnlyList<string> Access);

/// <summary>A robot account (never its secret, which is shown once, by <see cref="RobotSecretView"/>).</summary>
public sealed record RobotView(
    long Id, string Name, string? Description, string Level, DateTimeOffset? ExpiresAt, bool Disabled,
    IReadOnlyList<RobotGrantView> Permissions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static RobotView From(RobotRecord robot) => new(
        robot.Id, robot.Name, robot.Description, robot.ProjectId is null ? "system" : "project", robot.ExpiresAt, robot.Disabled,
        robot.Permissions.Select(p => new RobotGrantView(p.Project ?? "*", p.Access)).ToList(), robot.CreatedAt, robot.UpdatedAt);
}

/// <summary>A robot's secret, in the one response that shows it (creation or rotation).</summary>
public sealed record RobotSecretView(long Id, string Name, string Secret, DateTimeOffset? ExpiresAt);
