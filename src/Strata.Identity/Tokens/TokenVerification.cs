namespace Strata.Identity.Tokens;

/// <summary>The outcome of verifying a token: its claims, or why it was refused (safe to show the client).</summary>
public sealed record TokenVerification(TokenClaims? Claims, string? Failure)
{
    public bool Succeeded => Claims is not null;

    public static TokenVerification Fail(string reason) => new(null, reason);
}
