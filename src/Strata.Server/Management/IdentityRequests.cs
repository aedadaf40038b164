using Strata.Identity.Accounts;

namespace Strata.Server.Management;

/// <summary>Body of <c>POST /api/v1/users</c>.</summary>
public sealed record UserCreateRequest(string? Username, string? Password, string? Email, string? FullName, bool? IsAdmin);

/// <summary>Body of <c>PATCH /api/v1/users/{username}</c> (absent fields stay as they are).</summary>
public sealed record UserUpdateRequest(string? Email, string? FullName, bool? IsAdmin);

/// <summary>Body of <c>PUT /api/v1/users/{username}/password</c>.</summary>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Body of <c>POST /api/v1/projects</c>.</summary>
public sealed record ProjectCreateRequest(string? Name, bool? Public, long? StorageQuotaBytes, bool? PublishPrivate);

/// <summary>Body of <c>PATCH /api/v1/projects/{name}</c>.</summary>
public sealed record ProjectUpdateRequest(bool? Public, long? StorageQuotaBytes, bool? PublishPrivate);

/// <summary>Body of <c>POST /api/v1/projects/{name}/members</c> and (role only) <c>PUT …/members/{username}</c>.</summary>
public sealed record MemberRequest(string? Username, string? Role);

/// <summary>Body of <c>POST /api/v1/robots</c> and <c>POST /api/v1/projects/{name}/robots</c>: duration in days, -1 never expires.</summary>
public sealed record RobotCreateRequest(string? Name, string? Description, int? Duration, IReadOnlyList<RobotGrant>? Permissions);

/// <summary>Body of <c>PATCH /api/v1/robots/{id}</c>.</summary>
public sealed record RobotUpdateRequest(string? Description, bool? Disabled, int? Duration, IReadOnlyList<RobotGrant>? Permissions);
