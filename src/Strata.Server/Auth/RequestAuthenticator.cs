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

    public async Task<RequestAuthentication> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return RequestAuthentication.Anonymous;
        }

        if (header.Length > MaxHeaderLength)
        {
            return Fail("credentials too long", bearer: false);
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return await BearerAsync(header.AsMemory(7).Trim(), context.RequestAborted).ConfigureAwait(false);
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(header[6..].Trim(), out var username, out var password))
            {
                return Fail("malformed Basic credentials", bearer: false);
            }

            return await BasicAsync(username, password, ClientAddress(context), context.RequestAborted).ConfigureAwait(false);
        }

        return Fail("unsupported authorization scheme (use Basic or Bearer)", bearer: false);
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

    private async Task<RequestAuthentication> BearerAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        var verification = tokens.Verify(token.Span);
        if (verification.Claims is not { } claims)
        {
            return Fail(verification.Failure!, bearer: true);
        }

        if (claims.IsAnonymous)
        {
            return new RequestAuthentication(Identity.Principals.Principal.Anonymous, claims, null, null, true);
        }

        var principal = await authenticator.ResolveAsync(claims.Subject, claims.Stamp, cancellationToken).ConfigureAwait(false);
        return principal is null
            ? Fail("the token's credentials were revoked", bearer: true)
            : new RequestAuthentication(principal, claims, null, null, true);
    }

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
