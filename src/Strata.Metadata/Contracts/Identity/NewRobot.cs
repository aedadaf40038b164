namespace Strata.Metadata.Contracts.Identity;

/// <summary>What creating a robot writes (permissions name projects by id; null = every project).</summary>
public sealed record NewRobot(
    string Name,
    string? Description,
    long? ProjectId,
    string SecretHash,
    string Stamp,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<RobotPermission> Permissions);
