namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// A partial update of a robot: null leaves a field as it is. <see cref="ClearExpiry"/> sets "never
/// expires"; <see cref="Permissions"/>, when given, replaces the whole list.
/// </summary>
public sealed record RobotUpdate(
    string? Description,
    bool? Disabled,
    DateTimeOffset? ExpiresAt,
    bool ClearExpiry,
    IReadOnlyList<RobotPermission>? Permissions);
