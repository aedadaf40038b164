using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Strata.Server.Tests.Auth;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Document_is_served_and_describes_every_management_route_and_method()
    {
        await using var registry = await AuthRegistry.StartAsync();
        var response = await registry.SendAsync(HttpMethod.Get, "/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();

        var missing = new List<string>();
        foreach (var endpoint in registry.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (!(path.StartsWith("/api/v1", StringComparison.Ordinal) || path.StartsWith("/service", StringComparison.Ordinal)) || path == "/api/v1/openapi.json")
            {
                continue;
            }

            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (paths[path]?[method.ToLowerInvariant()] is null)
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        Assert.True(missing.Count == 0, "not in the OpenAPI document: " + string.Join(", ", missing));
    }
}
