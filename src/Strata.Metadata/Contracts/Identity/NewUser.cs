namespace Strata.Metadata.Contracts.Identity;

/// <summary>What creating a user writes; the store assigns the id and times.</summary>
public sealed record NewUser(string Username, string? Email, string? FullName, string PasswordHash, bool IsAdmin, string Stamp);
