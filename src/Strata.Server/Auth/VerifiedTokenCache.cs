using System.Collections.Concurrent;
using Strata.Identity.Tokens;

namespace Strata.Server.Auth;

/// <summary>
/// Remembers tokens whose signature and claims were verified, so a client sending the same bearer
/// token on every request (all of them do, for the token's lifetime) pays one ECDSA verification,
/// not one per request. A token is immutable, so only time can change the verdict: a hit is
/// re-checked against <c>exp</c> (with the leeway). The subject's credentials are still checked on
/// every request by the caller. Bounded: cleared when <see cref="MaxEntries"/> is reached.
/// </summary>
public sealed class VerifiedTokenCache(TokenService tokens, TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, TokenClaims> _verified = new(StringComparer.Ordinal);

    public TokenVerification Verify(string token)
    {
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(token, out var claims))
        {
            if (now - tokens.Options.ClockSkew < claims.ExpiresAt)
            {
                return new TokenVerification(claims, null);
            }

            _verified.TryRemove(token, out _);
        }

        var verification = tokens.Verify(token);
        if (verification.Claims is { } verified)
        {
            if (_verified.Count >= MaxEntries)
            {
                _verified.Clear();
            }

            _verified[token] = verified;
        }

        return verification;
    }
}
