namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// A robot account. <see cref="ProjectId"/> is set for a project-level robot, null for a
/// system-level one. Only a hash of the secret is stored; <see cref="Stamp"/> changes when the
/// secret is rotated, so tokens issued before are refused at once.
/// </summary>
public sealed record RobotRecord(
    long Id,
    string Name,
    string? Description,
    long? ProjectId,
    string SecretHash,
    string Stamp,
    DateTimeOffset? ExpiresAt,
    bool Disabled,
    IReadOnlyList<RobotPermission> Permissions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
