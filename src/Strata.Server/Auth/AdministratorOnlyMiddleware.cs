using Microsoft.AspNetCore.Http;
using Strata.Identity.Principals;

namespace Strata.Server.Auth;

/// <summary>
/// With access control on, the operator APIs are for system administrators:
/// <c>/api/v1/publications</c> (publication states name every published repository, private ones
/// included, and publishing on demand bypasses the push path) and <c>/api/v1/gc</c> (collection
/// deletes data, and usage figures name every repository).
/// </summary>
public sealed class AdministratorOnlyMiddleware(RequestDelegate next)
{
    /// <summary>The path prefixes this middleware guards.</summary>
    public static readonly string[] GuardedPaths = ["/api/v1/publications", "/api/v1/gc"];

    /// <summary>Whether the request is under a guarded path; a loop, as it runs for every request (no closure allocated).</summary>
    public static bool Guards(HttpContext context)
    {
        var path = context.Request.Path;
        foreach (var guarded in GuardedPaths)
        {
            if (path.StartsWithSegments(guarded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public async Task InvokeAsync(HttpContext context, RequestAuthenticator authenticator)
    {
        var authentication = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (authentication.Principal is { IsAdmin: true })
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var anonymous = authentication.Principal is null or { Kind: PrincipalKind.Anonymous };
        if (anonymous)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"strata\"";
        }

        await Results.Problem(
            statusCode: anonymous ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden,
            title: anonymous ? "unauthorized" : "forbidden",
            detail: authentication.Failure ?? "this operation needs a system administrator").ExecuteAsync(context).ConfigureAwait(false);
    }
}
