using Microsoft.AspNetCore.Http;
using Strata.Identity.Principals;

namespace Strata.Server.Auth;

/// <summary>
/// With access control on, <c>/api/v1/publications</c> is for system administrators: publication
/// states name every published repository, private ones included, and publishing on demand
/// bypasses the push path.
/// </summary>
public sealed class PublicationAccessMiddleware(RequestDelegate next)
{
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
            detail: authentication.Failure ?? "publication management needs a system administrator").ExecuteAsync(context).ConfigureAwait(false);
    }
}
