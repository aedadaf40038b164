using Strata.Metadata.Contracts.Identity;

namespace Strata.Identity.Principals;

/// <summary>
/// An authenticated caller (or the anonymous one): a user, with its system-administrator flag, or a
/// robot, with its permissions. <see cref="Stamp"/> is the credential stamp the token was issued for.
/// </summary>
public sealed record Principal(PrincipalKind Kind, string Name, long Id, bool IsAdmin, string Stamp, RobotRecord? Robot = null)
{
    public const string AnonymousName = "anonymous";

    public static Principal Anonymous { get; } = new(PrincipalKind.Anonymous, "", 0, false, "");

    public bool IsAnonymous => Kind == PrincipalKind.Anonymous;

    /// <summary>The name shown in the audit log.</summary>
    public string DisplayName => Name.Length == 0 ? AnonymousName : Name;

    public static Principal ForUser(UserRecord user) => new(PrincipalKind.User, user.Username, user.Id, user.IsAdmin, user.Stamp);

    public static Principal ForRobot(RobotRecord robot) => new(PrincipalKind.Robot, robot.Name, robot.Id, false, robot.Stamp, robot);
}
