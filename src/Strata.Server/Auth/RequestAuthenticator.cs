using System.Text;
using Microsoft.AspNetCore.Http;
using Strata.Identity.Login;
using Strata.Identity.Tokens;

namespace Strata.Server.Auth;

/// <summary>
/// Reads a request's <c>Authorization</c> header: none (anonymous), <c>Basic</c> (a user's password
/// or a robot's secret, checked against the store, with <see cref="BasicCredentialCache"/> in front
/// of the KDF) or <c>Bearer</c> (a token from the token endpoint, verified, and its subject's
/// credentials checked to be still the ones it was issued for). Anything else is refused.
/// </summary>
public sealed class RequestAuthenticator(Authenticator authenticator, VerifiedTokenCache tokens, BasicCredentialCache cache)
{
    /// <summary>Longest Authorization header accepted (a token is a few KB at most).</summary>
    public const int MaxHeaderLength = Identity.Tokens.TokenService.MaxTokenLength + 16;

    /// <remarks>
    /// Answered synchronously, with no task or state machine, for the request every client sends
    /// most: a bearer token already verified (<see cref="VerifiedTokenCache"/>) whose subject is in
    /// the state cache. Only a miss awaits the store.
    /// </remarks>
    public ValueTask<RequestAuthentication> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return new(RequestAuthentication.Anonymous);
        }

        if (header.Length > MaxHeaderLength)
        {
            return new(Fail("credentials too long", bearer: false));
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return BearerAsync(header.AsMemory(7).Trim(), context);
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(header[6..].Trim(), out var username, out var password))
            {
                return new(Fail("malformed Basic credentials", bearer: false));
            }

            return new(BasicAsync(username, password, ClientAddress(context), context.RequestAborted));
        }

        return new(Fail("unsupported authorization scheme (use Basic or Bearer)", bearer: false));
    }

    /// <summary>Checks a username and password (Basic, or the OAuth2 password grant).</summary>
    public async Task<RequestAuthentication> BasicAsync(string username, string password, string? client, CancellationToken cancellationToken)
    {
        if (cache.TryGet(username, password, out var stamp)
            && await authenticator.ResolveAsync(username, stamp, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return new RequestAuthentication(cached, null, null, null, false);
        }

        var result = await authenticator.AuthenticateAsync(username, password, client, cancellationToken).ConfigureAwait(false);
        if (result.Principal is { } principal)
        {
            cache.Add(username, password, principal.Stamp);
            return new RequestAuthentication(principal, null, null, null, false);
        }

        return result.RetryAfter is { } wait
            ? new RequestAuthentication(null, null, "too many failed logins; try again later", wait, false)
            : Fail("invalid username or password", bearer: false);
    }

    private ValueTask<RequestAuthentication> BearerAsync(ReadOnlyMemory<char> token, HttpContext context)
    {
        var verification = tokens.Verify(token.Span);
        if (verification.Claims is not { } claims)
        {
            return new(Fail(verification.Failure!, bearer: true));
        }

        if (claims.IsAnonymous)
        {
            return new(new RequestAuthentication(Identity.Principals.Principal.Anonymous, claims, null, null, true));
        }

        var resolving = authenticator.ResolveAsync(claims.Subject, claims.Stamp, context.RequestAborted);
        return resolving.IsCompletedSuccessfully
            ? new(ForSubject(claims, resolving.Result))
            : new(ForSubjectAsync(claims, resolving));
    }

    private static async Task<RequestAuthentication> ForSubjectAsync(TokenClaims claims, ValueTask<Identity.Principals.Principal?> resolving) =>
        ForSubject(claims, await resolving.ConfigureAwait(false));

    private static RequestAuthentication ForSubject(TokenClaims claims, Identity.Principals.Principal? principal) =>
        principal is null
            ? Fail("the token's credentials were revoked", bearer: true)
            : new RequestAuthentication(principal, claims, null, null, true);

    /// <summary>The remote address, for the audit log and the per-client login throttle.</summary>
    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    internal static bool TryDecodeBasic(string encoded, out string username, out string password)
    {
        username = password = "";
        Span<byte> buffer = stackalloc byte[1024];
        if (encoded.Length > 1360 || !Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        username = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    private static RequestAuthentication Fail(string reason, bool bearer) => new(null, null, reason, null, bearer);
}
