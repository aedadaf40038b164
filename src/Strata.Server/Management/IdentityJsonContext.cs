using System.Text.Json.Serialization;
using Strata.Identity.Accounts;
using Strata.Metadata.Contracts.Identity;

namespace Strata.Server.Management;

/// <summary>
/// Source-generated JSON of the identity API (camelCase, as Harbor's). Unknown properties are
/// refused, so a misspelt field is a clear 400 instead of a silently ignored change.
/// </summary>
[JsonSerializable(typeof(UserCreateRequest))]
[JsonSerializable(typeof(UserUpdateRequest))]
[JsonSerializable(typeof(PasswordChangeRequest))]
[JsonSerializable(typeof(ProjectCreateRequest))]
[JsonSerializable(typeof(ProjectUpdateRequest))]
[JsonSerializable(typeof(MemberRequest))]
[JsonSerializable(typeof(RobotCreateRequest))]
[JsonSerializable(typeof(RobotUpdateRequest))]
[JsonSerializable(typeof(RobotGrant))]
[JsonSerializable(typeof(UserView))]
[JsonSerializable(typeof(List<UserView>))]
[JsonSerializable(typeof(ProjectView))]
[JsonSerializable(typeof(List<ProjectView>))]
[JsonSerializable(typeof(MemberView))]
[JsonSerializable(typeof(List<MemberView>))]
[JsonSerializable(typeof(RobotView))]
[JsonSerializable(typeof(List<RobotView>))]
[JsonSerializable(typeof(RobotSecretView))]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(List<AuditEntry>))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class IdentityJsonContext : JsonSerializerContext;
