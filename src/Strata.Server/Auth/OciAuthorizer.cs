using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Strata.Identity.Access;
using Strata.Identity.Audit;
using Strata.Identity.Principals;
using Strata.Identity.Rbac;
using Strata.Identity.Tokens;
using Strata.Metadata.Contracts.Identity;
using Strata.Oci.Errors;
using Strata.Server.Http;
using Strata.Server.Oci;

namespace Strata.Server.Auth;

/// <summary>
/// Decides every <c>/v2/</c> request. A bearer token must grant each action the route needs on
/// its repository (and its subject's credentials must still be current); Basic credentials and
/// anonymous requests are checked against the current permissions. Refusals follow distribution:
/// no or insufficient credentials → 401 <c>UNAUTHORIZED</c> with a Bearer challenge naming the scope
/// needed (<c>error="insufficient_scope"</c> for a token that lacks it, <c>invalid_token</c> for a bad
/// one); valid Basic credentials without the permission → 403 <c>DENIED</c>. <c>GET /v2/</c>
/// challenges anonymous callers, which is how clients discover the token service.
/// </summary>
public sealed class OciAuthorizer(
    RequestAuthenticator authenticator,
    AccessEvaluator evaluator,
    AuthChallenge challenge,
    CatalogFilter catalog,
    IAuditSink audit,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<AuthOptions> options) : IOciAuthorizer
{
    public const string PrincipalItem = "strata.principal";

    /// <remarks>
    /// The request nearly every pull is — a known bearer token whose grant covers the route — is
    /// decided synchronously: no state machine or task on the request path. Everything else (Basic
    /// credentials, anonymous callers, refusals, mounts, cache misses) takes the same checks, awaited.
    /// </remarks>
    public ValueTask<bool> AuthorizeAsync(HttpContext context, OciRoute route)
    {
        var authenticating = authenticator.AuthenticateAsync(context);
        if (authenticating.IsCompletedSuccessfully
            && authenticating.Result is { Principal: { } principal, Token: { } token }
            && route.Kind is not (OciRouteKind.Ping or OciRouteKind.Catalog or OciRouteKind.UploadStart)
            && TokenAllows(token, route.Name, OciRouteActions.For(route.Kind, context.Request.Method)))
        {
            Audit(context, principal, route, success: true);
            return new(true);
        }

        return new(AuthorizeAsync(context, route, authenticating));
    }

    private async Task<bool> AuthorizeAsync(HttpContext context, OciRoute route, ValueTask<RequestAuthentication> authenticating)
    {
        var authentication = await authenticating.ConfigureAwait(false);
        if (authentication.Principal is not { } principal)
        {
            await RefuseCredentialsAsync(context, authentication).ConfigureAwait(false);
            return false;
        }

        switch (route.Kind)
        {
            case OciRouteKind.Ping:
                if (principal.IsAnonymous && authentication.Token is null)
                {
                    challenge.Set(context, null, null);
                    await OciErrorWriter.WriteAsync(context, OciErrorCode.Unauthorized, "authentication required", null).ConfigureAwait(false);
                    return false;
                }

                return true;
            case OciRouteKind.Catalog:
                // Only the catalog needs the principal later (CatalogAsync); other routes skip the Items dictionary.
                context.Items[PrincipalItem] = principal;
                return true;
        }

        var needed = OciRouteActions.For(route.Kind, context.Request.Method);
        if (!await AllowsAsync(principal, authentication.Token, route.Name, needed, context.RequestAborted).ConfigureAwait(false))
        {
            Audit(context, principal, route, success: false);
            await RefuseAccessAsync(context, authentication, route.Name, needed).ConfigureAwait(false);
            return false;
        }

        if (route.Kind == OciRouteKind.UploadStart && context.Request.Query.ContainsKey("mount"))
        {
            await CheckMountSourceAsync(context, principal, authentication.Token).ConfigureAwait(false);
        }

        Audit(context, principal, route, success: true);
        return true;
    }

    public Task CatalogAsync(HttpContext context) =>
        catalog.WriteAsync(context, context.Items[PrincipalItem] as Principal ?? Principal.Anonymous);

    /// <summary>
    /// Without pull on the <c>from</c> repository a mount would leak a blob across projects, so it is
    /// dropped and the request becomes a plain upload start (202): the spec lets a registry decline a
    /// mount, and clients then upload the blob themselves.
    /// </summary>
    private async Task CheckMountSourceAsync(HttpContext context, Principal principal, TokenClaims? token)
    {
        var from = context.Request.Query["from"].ToString();
        if (from.Length > 0 && await AllowsAsync(principal, token, from, [Actions.Pull], context.RequestAborted).ConfigureAwait(false))
        {
            return;
        }

        var kept = context.Request.Query.Where(q => q.Key is not ("mount" or "from"))
            .ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase);
        context.Request.Query = new QueryCollection(kept);
    }

    private async Task<bool> AllowsAsync(Principal principal, TokenClaims? token, string repository, IReadOnlyList<string> actions, CancellationToken cancellationToken)
    {
        if (token is not null)
        {
            return TokenAllows(token, repository, actions);
        }

        if (ProjectNames.OfRepository(repository) is not { } project)
        {
            return false;
        }

        var access = await evaluator.EvaluateAsync(principal, project, cancellationToken).ConfigureAwait(false);
        foreach (var action in actions)
        {
            if (!access.Allows(Resources.Repository, action))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the token grants every action; a plain loop, as this runs on every request (LINQ with a captured variable allocates).</summary>
    private static bool TokenAllows(TokenClaims token, string repository, IReadOnlyList<string> actions)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            if (!token.Allows(ResourceScope.RepositoryType, repository, actions[i]))
            {
                return false;
            }
        }

        return true;
    }

    private async Task RefuseCredentialsAsync(HttpContext context, RequestAuthentication authentication)
    {
        if (authentication.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await OciErrorWriter.WriteAsync(context, OciErrorCode.TooManyRequests, authentication.Failure!, null).ConfigureAwait(false);
            return;
        }

        challenge.Set(context, null, authentication.Bearer ? "invalid_token" : null);
        await OciErrorWriter.WriteAsync(context, OciErrorCode.Unauthorized, authentication.Failure ?? "authentication required", null).ConfigureAwait(false);
    }

    private async Task RefuseAccessAsync(HttpContext context, RequestAuthentication authentication, string repository, IReadOnlyList<string> actions)
    {
        var scope = $"repository:{repository}:{string.Join(',', actions)}";
        var detail = actions.Select(a => new { Type = "repository", Class = "", Name = repository, Action = a }).ToArray();
        var message = ProjectNames.OfRepository(repository) is null
            ? "repository names must be <project>/<name>; this one has no project"
            : "access to the requested resource is not authorized";
        if (authentication.Token is not null || authentication.Principal!.IsAnonymous)
        {
            challenge.Set(context, scope, authentication.Token is null ? null : "insufficient_scope");
            await OciErrorWriter.WriteAsync(context, OciErrorCode.Unauthorized, message, detail).ConfigureAwait(false);
            return;
        }

        await OciErrorWriter.WriteAsync(context, OciErrorCode.Denied, message, detail).ConfigureAwait(false);
    }

    /// <summary>Pulls, pushes and deletes of manifests and blob deletes go to the audit log once the response is complete.</summary>
    private void Audit(HttpContext context, Principal principal, OciRoute route, bool success)
    {
        var method = context.Request.Method;
        var action = (route.Kind, method) switch
        {
            (OciRouteKind.Manifest, "GET") => AuditActions.Pull,
            (OciRouteKind.Manifest, "PUT") => AuditActions.Push,
            (OciRouteKind.Manifest or OciRouteKind.Blob, "DELETE") => AuditActions.Delete,
            _ => null,
        };
        if (action is null || (action == AuditActions.Pull && !options.Value.AuditPulls))
        {
            return;
        }

        var resource = $"{route.Name}{(route.Argument is { } a && a.StartsWith("sha", StringComparison.Ordinal) ? "@" : ":")}{route.Argument}";
        var client = RequestAuthenticator.ClientAddress(context);
        var project = ProjectNames.OfRepository(route.Name);
        if (!success)
        {
            audit.Record(new AuditEntry(0, time.GetUtcNow(), principal.DisplayName, action, resource, project, false, client, "denied"));
            return;
        }

        context.Response.OnCompleted(CompletedRequestAudit.RecordAsync, new CompletedRequestAudit(context, audit, time, principal.DisplayName, action, resource, project, client));
    }
}
