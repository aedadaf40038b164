using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Strata.Server.Auth;

/// <summary>
/// The <c>WWW-Authenticate: Bearer realm=…,service=…,scope=…[,error=…]</c> challenge of the Docker
/// token spec. The realm is the configured one or this server's <c>/service/token</c> as the client
/// reached it.
/// </summary>
public sealed class AuthChallenge(IOptions<AuthOptions> options)
{
    public const string TokenPath = "/service/token";

    public string Realm(HttpContext context) =>
        string.IsNullOrEmpty(options.Value.Realm) ? $"{context.Request.Scheme}://{context.Request.Host}{TokenPath}" : options.Value.Realm;

    public void Set(HttpContext context, string? scope, string? error)
    {
        var value = $"Bearer realm=\"{Realm(context)}\",service=\"{options.Value.Service}\"";
        if (scope is not null)
        {
            value += $",scope=\"{scope}\"";
        }

        if (error is not null)
        {
            value += $",error=\"{error}\"";
        }

        context.Response.Headers.WWWAuthenticate = value;
    }
}
