using Microsoft.AspNetCore.Http;
using Strata.Server.Oci;

namespace Strata.Server.Auth;

/// <summary>
/// Access control on the <c>/v2/</c> API, called by the dispatcher before every route when
/// <c>Auth:Enabled</c> is on (not registered otherwise, so an open registry pays nothing).
/// </summary>
public interface IOciAuthorizer
{
    /// <summary>True when the request may proceed; otherwise the refusal (401 + challenge, or 403) has been written.</summary>
    ValueTask<bool> AuthorizeAsync(HttpContext context, OciRoute route);

    /// <summary>Serves <c>/v2/_catalog</c> with only the repositories the caller may see.</summary>
    Task CatalogAsync(HttpContext context);
}
