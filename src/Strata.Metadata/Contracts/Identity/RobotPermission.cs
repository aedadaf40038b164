namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// What a robot may do in one project (<see cref="ProjectId"/>/<see cref="Project"/> null: in every
/// project). <see cref="Access"/> holds <c>resource:action</c> pairs, e.g. <c>repository:pull</c>.
/// </summary>
public sealed record RobotPermission(long? ProjectId, string? Project, IReadOnlyList<string> Access);
