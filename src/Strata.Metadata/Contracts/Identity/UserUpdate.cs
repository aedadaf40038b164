namespace Strata.Metadata.Contracts.Identity;

/// <summary>A partial update of a user's profile: null leaves a field as it is.</summary>
public sealed record UserUpdate(string? Email, string? FullName, bool? IsAdmin);
