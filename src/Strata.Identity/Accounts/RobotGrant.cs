namespace Strata.Identity.Accounts;

/// <summary>Grants in one project (<see cref="Project"/> <c>*</c>: every project, system-level robots only), as <c>resource:action</c> pairs.</summary>
public sealed record RobotGrant(string? Project, IReadOnlyList<string>? Access);
