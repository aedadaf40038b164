using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Strata.Oci.Errors;
using Strata.Oci.Names;
using Strata.Server.Auth;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>
/// The whole <c>/v2/</c> route table on one screen. ASP.NET routing cannot match repository names
/// with slashes against fixed suffixes, so one catch-all route parses the path
/// (<see cref="OciRoute"/>) and dispatches on resource and method here.
/// </summary>
public static class OciEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Map("/v2", DispatchAsync);
        routes.Map("/v2/{**path}", DispatchAsync);
    }

    private static async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var rest = path.Length > 4 ? path[4..] : "";
        var route = OciRoute.TryParse(rest)
            ?? throw new RegistryException(OciErrorCode.NameUnknown, $"no such API path '{path}'");
        if (route.Kind is not (OciRouteKind.Ping or OciRouteKind.Catalog) && !RepositoryName.IsValid(route.Name))
        {
            throw new RegistryException(OciErrorCode.NameInvalid, $"invalid repository name '{route.Name}'", new { name = route.Name });
        }

        // Access control (Auth:Enabled): not registered when off, so an open registry pays nothing.
        if (context.RequestServices.GetService(typeof(IOciAuthorizer)) is IOciAuthorizer authorizer)
        {
            if (!await authorizer.AuthorizeAsync(context, route))
            {
                return;
            }

            if (route.Kind == OciRouteKind.Catalog)
            {
                await authorizer.CatalogAsync(context);
                return;
            }
        }

        var method = context.Request.Method;
        await ((route.Kind, method) switch
        {
            (OciRouteKind.Ping, "GET" or "HEAD") => PingAsync(context),
            (OciRouteKind.Catalog, "GET") => TagEndpoints.CatalogAsync(context),
            (OciRouteKind.Blob, "GET" or "HEAD") => BlobEndpoints.GetAsync(context, route),
            (OciRouteKind.Blob, "DELETE") => BlobEndpoints.DeleteAsync(context, route),
            (OciRouteKind.UploadStart, "POST") => UploadEndpoints.StartAsync(context, route),
            (OciRouteKind.Upload, "PATCH") => UploadEndpoints.PatchAsync(context, route),
            (OciRouteKind.Upload, "PUT") => UploadEndpoints.PutAsync(context, route),
            (OciRouteKind.Upload, "GET") => UploadEndpoints.StatusAsync(context, route),
            (OciRouteKind.Upload, "DELETE") => UploadEndpoints.CancelAsync(context, route),
            (OciRouteKind.Manifest, "GET" or "HEAD") => ManifestEndpoints.GetAsync(context, route),
            (OciRouteKind.Manifest, "PUT") => ManifestEndpoints.PutAsync(context, route),
            (OciRouteKind.Manifest, "DELETE") => ManifestEndpoints.DeleteAsync(context, route),
            (OciRouteKind.TagList, "GET") => TagEndpoints.TagsAsync(context, route),
            (OciRouteKind.Referrers, "GET") => ReferrersEndpoints.GetAsync(context, route),
            _ => throw new RegistryException(OciErrorCode.Unsupported, $"{method} is not supported on this resource"),
        });
    }

    private static Task PingAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 2;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync("{}");
    }

    internal static T Service<T>(HttpContext context) where T : notnull =>
        (T)context.RequestServices.GetService(typeof(T))!;
}
