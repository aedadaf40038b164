namespace Strata.Identity.Passwords;

/// <summary>
/// Harbor's rule for local passwords: 8 to 128 characters with at least one lowercase letter, one
/// uppercase letter and one digit.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    /// <summary>Null when acceptable, otherwise what is wrong (never the password itself).</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength || password.Length > MaxLength)
        {
            return $"the password must be {MinLength} to {MaxLength} characters long";
        }

        if (!password.Any(char.IsLower) || !password.Any(char.IsUpper) || !password.Any(char.IsDigit))
        {
            return "the password needs at least one lowercase letter, one uppercase letter and one digit";
        }

        return null;
    }
}
