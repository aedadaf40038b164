using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Identity.Access;
using Strata.Identity.Audit;
using Strata.Identity.Principals;
using Strata.Identity.Tokens;
using Strata.Metadata.Contracts.Identity;
using Strata.Server.Http;

namespace Strata.Server.Auth;

/// <summary>
/// The token service at <c>/service/token</c> (Harbor's path), both forms of the Docker token spec:
/// <list type="bullet">
/// <item><c>GET ?service=…&amp;scope=…&amp;scope=…[&amp;offline_token=true]</c> with HTTP Basic credentials, or none
/// for an anonymous token (pull of public projects);</item>
/// <item><c>POST</c> <c>application/x-www-form-urlencoded</c>, the OAuth2 form containerd tries first:
/// <c>grant_type=password</c> (<c>username</c>, <c>password</c>) or <c>refresh_token</c>, with
/// <c>service</c>, <c>client_id</c>, space-separated <c>scope</c> and <c>access_type=offline</c>.</item>
/// </list>
/// The token grants requested ∩ permitted, possibly nothing. Errors: 401 for bad credentials (with a
/// Basic challenge), 429 while an account is locked, 400 for a malformed request; OAuth2 errors use
/// its JSON (<c>{"error":…,"error_description":…}</c>).
/// </summary>
public static class TokenEndpoints
{
    private const int MaxFormBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(AuthChallenge.TokenPath, GetAsync);
        routes.MapPost(AuthChallenge.TokenPath, PostAsync);
    }

    private static async Task GetAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var query = context.Request.Query;
        if (query["service"] is { Count: > 0 } service && service.ToString() != options.Service)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", $"unknown service '{service}'; this is '{options.Service}'");
            return;
        }

        if (!TryParseScopes(query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)), out var scopes, out var problem))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_scope", problem);
            return;
        }

        var authentication = await services.GetRequiredService<RequestAuthenticator>().AuthenticateAsync(context);
        if (authentication.Bearer)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "the token endpoint takes Basic credentials or none, not a bearer token");
            return;
        }

        await IssueAsync(context, authentication, scopes, offline: query["offline_token"] == "true", oauth: false);
    }

    private static async Task PostAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded");
            return;
        }

        if (context.Request.ContentLength is > MaxFormBytes)
        {
            await ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "invalid_request", "form too large");
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = MaxFormBytes, KeyLengthLimit = 64, ValueCountLimit = 64 }, context.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", e.Message);
            return;
        }

        if (form["service"] is { Count: > 0 } service && service.ToString() != options.Service)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", $"unknown service '{service}'; this is '{options.Service}'");
            return;
        }

        if (string.IsNullOrEmpty(form["client_id"]))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "client_id is required");
            return;
        }

        if (!TryParseScopes(form["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)), out var scopes, out var problem))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_scope", problem);
            return;
        }

        var authenticator = services.GetRequiredService<RequestAuthenticator>();
        RequestAuthentication authentication;
        switch (form["grant_type"].ToString())
        {
            case "password":
                if (string.IsNullOrEmpty(form["username"]) || form["password"].Count == 0)
                {
                    await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "username and password are required");
                    return;
                }

                authentication = await authenticator.BasicAsync(form["username"].ToString(), form["password"].ToString(), RequestAuthenticator.ClientAddress(context), context.RequestAborted);
                break;
            case "refresh_token":
                authentication = await RefreshAsync(services, form["refresh_token"], context.RequestAborted);
                break;
            default:
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type", "grant_type must be password or refresh_token");
                return;
        }

        await IssueAsync(context, authentication, scopes, offline: form["access_type"] == "offline", oauth: true);
    }

    private static async Task<RequestAuthentication> RefreshAsync(IServiceProvider services, string? refreshToken, CancellationToken cancellationToken)
    {
        var verification = services.GetRequiredService<TokenService>().Verify(refreshToken, TokenClaims.RefreshUse);
        if (verification.Claims is not { IsAnonymous: false } claims)
        {
            return new RequestAuthentication(null, null, verification.Failure ?? "invalid refresh token", null, false);
        }

        var principal = await services.GetRequiredService<Identity.Login.Authenticator>().ResolveAsync(claims.Subject, claims.Stamp, cancellationToken);
        return principal is null
            ? new RequestAuthentication(null, null, "the refresh token's credentials were revoked", null, false)
            : new RequestAuthentication(principal, null, null, null, false);
    }

    private static async Task IssueAsync(HttpContext context, RequestAuthentication authentication, IReadOnlyList<ResourceScope> scopes, bool offline, bool oauth)
    {
        var services = context.RequestServices;
        var audit = services.GetRequiredService<IAuditSink>();
        var time = services.GetRequiredService<TimeProvider>();
        var client = RequestAuthenticator.ClientAddress(context);
        var username = TryReadUsername(context);
        if (authentication.Principal is not { } principal)
        {
            audit.Record(new AuditEntry(0, time.GetUtcNow(), username ?? Principal.AnonymousName, AuditActions.LoginFailed, "token", null, false, client,
                authentication.RetryAfter is null ? "invalid credentials" : "throttled"));
            if (authentication.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "access_denied", authentication.Failure!);
                return;
            }

            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{services.GetRequiredService<IOptions<AuthOptions>>().Value.Service}\"";
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, oauth ? "invalid_grant" : "unauthorized", authentication.Failure ?? "invalid credentials");
            return;
        }

        var granted = await services.GetRequiredService<TokenGrants>().GrantAsync(principal, scopes, context.RequestAborted);
        var tokens = services.GetRequiredService<TokenService>();
        var issued = tokens.Issue(principal.IsAnonymous ? "" : principal.Name, principal.Stamp, granted);
        var refresh = offline && !principal.IsAnonymous ? tokens.Issue(principal.Name, principal.Stamp, [], TokenClaims.RefreshUse).Token : null;
        if (!principal.IsAnonymous)
        {
            audit.Record(new AuditEntry(0, time.GetUtcNow(), principal.Name, AuditActions.Login, "token", null, true, client,
                granted.Count == 0 ? null : string.Join(' ', granted.Select(g => g.ToString()))));
        }

        context.Response.Headers.CacheControl = "no-store";
        await JsonResponse.WriteAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteString("token", issued.Token);
            json.WriteString("access_token", issued.Token);
            json.WriteNumber("expires_in", issued.ExpiresInSeconds);
            json.WriteString("issued_at", issued.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            if (oauth)
            {
                json.WriteString("scope", string.Join(' ', granted.Select(g => g.ToString())));
            }

            if (refresh is not null)
            {
                json.WriteString("refresh_token", refresh);
            }

            json.WriteEndObject();
        });
    }

    private static bool TryParseScopes(IEnumerable<string> texts, out IReadOnlyList<ResourceScope> scopes, out string problem)
    {
        var list = new List<ResourceScope>();
        scopes = list;
        problem = "";
        foreach (var text in texts)
        {
            if (list.Count >= TokenGrants.MaxScopes)
            {
                problem = $"at most {TokenGrants.MaxScopes} scopes per token";
                return false;
            }

            if (!ResourceScope.TryParse(text, out var scope))
            {
                problem = $"malformed scope '{(text.Length > 100 ? text[..100] + "…" : text)}'; expected type:name:actions";
                return false;
            }

            list.Add(scope);
        }

        return true;
    }

    /// <summary>The user name of a failed Basic or password-grant login, for the audit log (never the password).</summary>
    private static string? TryReadUsername(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && RequestAuthenticator.TryDecodeBasic(header[6..].Trim(), out var username, out _))
        {
            return Truncate(username);
        }

        // Only a POST has had its form read (GetAsync never reads one): no synchronous body read here.
        return HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType && context.Request.Form["username"] is { Count: > 0 } name
            ? Truncate(name.ToString())
            : null;
    }

    private static string Truncate(string value) => value.Length > 64 ? value[..64] : value;

    private static Task ErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        return JsonResponse.WriteAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteString("error", error);
            json.WriteString("error_description", description);
            json.WriteEndObject();
        });
    }
}
