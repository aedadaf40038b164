using Strata.Identity.Principals;
using Strata.Identity.Tokens;

namespace Strata.Server.Auth;

/// <summary>
/// Who sent a request: a principal (anonymous when there were no credentials) and, for a bearer
/// token, its claims; or why the credentials were refused (<see cref="Failure"/>, safe to show).
/// </summary>
public sealed record RequestAuthentication(Principal? Principal, TokenClaims? Token, string? Failure, TimeSpan? RetryAfter, bool Bearer)
{
    public bool Succeeded => Principal is not null;

    public static RequestAuthentication Anonymous { get; } = new(Identity.Principals.Principal.Anonymous, null, null, null, false);
}
