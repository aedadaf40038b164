using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Strata.Server.Management;

/// <summary>
/// <c>GET /api/v1/openapi.json</c>: the OpenAPI 3.1 description of the management API, written by
/// hand beside the endpoints (the handlers take <see cref="HttpContext"/>, so nothing could be
/// inferred from them). A test checks that every mapped <c>/api/v1</c> route is described.
/// </summary>
public static class OpenApiEndpoints
{
    public const string Path = "/api/v1/openapi.json";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Path, () => Results.Bytes(Document, "application/json"));

    private static readonly byte[] Document = Encoding.UTF8.GetBytes(OpenApiDocument.Json);
}
