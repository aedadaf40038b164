namespace Strata.Identity.Audit;

/// <summary>The audit log's action names.</summary>
public static class AuditActions
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";
    public const string Login = "login";
    public const string LoginFailed = "login_failed";
    public const string UserCreate = "user.create";
    public const string UserUpdate = "user.update";
    public const string UserDelete = "user.delete";
    public const string PasswordChange = "user.password";
    public const string ProjectCreate = "project.create";
    public const string ProjectUpdate = "project.update";
    public const string ProjectDelete = "project.delete";
    public const string MemberSet = "member.set";
    public const string MemberRemove = "member.remove";
    public const string RobotCreate = "robot.create";
    public const string RobotUpdate = "robot.update";
    public const string RobotSecret = "robot.secret";
    public const string RobotDelete = "robot.delete";
}
