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
/// <remarks>
/// Keyed by the whole token text (header, claims and signature), not by the signature alone: two
/// tokens can only share a key if they are the same bytes. A hit is looked up by span, straight
/// from the <c>Authorization</c> header, so the request path copies no token (about 0.5 KB).
/// </remarks>
public sealed class VerifiedTokenCache
{
    public const int MaxEntries = 10_000;

    private readonly TokenService _tokens;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TokenClaims> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenClaims>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public VerifiedTokenCache(TokenService tokens, TimeProvider time)
    {
        _tokens = tokens;
        _time = time;
        _bySpan = _verified.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public TokenVerification Verify(string token) => Verify(token.AsSpan());

    public TokenVerification Verify(ReadOnlySpan<char> token)
    {
        var now = _time.GetUtcNow();
        if (_bySpan.TryGetValue(token, out var claims))
        {
            if (now - _tokens.Options.ClockSkew < claims.ExpiresAt)
            {
                return new TokenVerification(claims, null);
            }

            _bySpan.TryRemove(token, out _);
        }

        var text = token.ToString();
        var verification = _tokens.Verify(text);
        if (verification.Claims is { } verified)
        {
            if (_verified.Count >= MaxEntries)
            {
                _verified.Clear();
            }

            _verified[text] = verified;
        }

        return verification;
    }
}
