namespace Strata.Metadata.Contracts.Identity;

/// <summary>A user's role in a project (role names as Harbor spells them: projectAdmin, maintainer, …).</summary>
public sealed record MemberRecord(long ProjectId, string Project, long UserId, string Username, string Role, DateTimeOffset CreatedAt);
