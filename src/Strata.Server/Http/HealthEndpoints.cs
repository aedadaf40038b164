using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Metadata.Contracts;

namespace Strata.Server.Http;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the metadata store answers too.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Text("ok\n"));
        routes.MapGet("/readyz", async (HttpContext context) =>
        {
            var store = context.RequestServices.GetRequiredService<IRepositoryStore>();
            await store.ListRepositoriesAsync(null, 1, context.RequestAborted);
            return Results.Text("ready\n");
        });
    }
}
