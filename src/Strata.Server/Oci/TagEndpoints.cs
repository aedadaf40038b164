using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Strata.Oci.Errors;
using Strata.Registry.Tags;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>end-8a/8b (tags list) and <c>/v2/_catalog</c>, with <c>n</c>/<c>last</c> and RFC 5988 <c>Link</c>.</summary>
internal static class TagEndpoints
{
    public static async Task TagsAsync(HttpContext context, OciRoute route)
    {
        var (n, last) = ReadPaging(context);
        var page = await OciEndpoints.Service<ListingService>(context).ListTagsAsync(route.Name, n, last, context.RequestAborted);
        await WriteAsync(context, $"/v2/{route.Name}/tags/list", "tags", route.Name, page);
    }

    public static async Task CatalogAsync(HttpContext context)
    {
        var (n, last) = ReadPaging(context);
        var page = await OciEndpoints.Service<ListingService>(context).ListRepositoriesAsync(n, last, context.RequestAborted);
        await WriteAsync(context, "/v2/_catalog", "repositories", null, page);
    }

    private static (int? N, string? Last) ReadPaging(HttpContext context)
    {
        var query = context.Request.Query;
        int? n = null;
        if (query["n"] is { Count: > 0 } text)
        {
            n = int.TryParse(text, out var value) && value >= 0
                ? value
                : throw new RegistryException(OciErrorCode.PaginationNumberInvalid, $"invalid n '{text}'");
        }

        string? last = query["last"];
        return (n, string.IsNullOrEmpty(last) ? null : last);
    }

    private static async Task WriteAsync(HttpContext context, string path, string property, string? name, ListingService.Page page)
    {
        var response = context.Response;
        if (page.HasMore)
        {
            var next = $"{path}?n={page.Items.Count}&last={Uri.EscapeDataString(page.Items[^1])}";
            response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        await JsonResponse.WriteAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            if (name is not null)
            {
                json.WriteString("name", name);
            }

            json.WriteStartArray(property);
            foreach (var item in page.Items)
            {
                json.WriteStringValue(item);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
