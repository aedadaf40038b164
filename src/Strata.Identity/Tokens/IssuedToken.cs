namespace Strata.Identity.Tokens;

/// <summary>A signed token and when it was issued and expires.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public int ExpiresInSeconds => (int)Math.Round((ExpiresAt - IssuedAt).TotalSeconds);
}
