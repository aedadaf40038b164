namespace Strata.Identity.Accounts;

/// <summary>
/// What a robot should be: a short name (the full name becomes <c>robot$NAME</c>, or
/// <c>robot$PROJECT+NAME</c> for a project-level robot), an optional description, a lifetime in
/// days (-1: never expires; null: the default, 30 days) and its grants.
/// </summary>
public sealed record RobotRequest(string? Name, string? Description, string? Project, int? DurationDays, IReadOnlyList<RobotGrant>? Permissions);
