namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// A local user. <see cref="Stamp"/> changes whenever the credentials change (password change,
/// deletion), so tokens issued before carry a stale stamp and are refused at once.
/// </summary>
public sealed record UserRecord(
    long Id,
    string Username,
    string? Email,
    string? FullName,
    string PasswordHash,
    bool IsAdmin,
    string Stamp,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
