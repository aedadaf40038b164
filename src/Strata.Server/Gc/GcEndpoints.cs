using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts.Gc;
using Strata.Registry.Gc;

namespace Strata.Server.Gc;

/// <summary>
/// <c>/api/v1/gc</c>: the history of collection runs (counts, bytes freed), a run on demand
/// (<c>POST ?dryRun=true&amp;sweepStorage=true</c>), the backlog and usage figures per repository and project.
/// Errors use RFC 9457 problem details, the management API's format.
/// </summary>
public static class GcEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/gc");
        group.MapGet("", (Delegate)HistoryAsync);
        group.MapPost("", (Delegate)RunAsync);
        group.MapGet("/status", (Delegate)StatusAsync);
        group.MapGet("/usage", (Delegate)UsageAsync);
        group.MapPost("/cvmfs", (Delegate)CvmfsAsync);
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, int? limit)
    {
        var runs = await context.RequestServices.GetRequiredService<IGarbageCollectionStore>()
            .ListGcRunsAsync(Math.Clamp(limit ?? 50, 1, 1000), context.RequestAborted);
        return Results.Json(runs.ToList(), GcJsonContext.Default.ListGcRunRecord);
    }

    private static async Task<IResult> RunAsync(HttpContext context, bool? dryRun, bool? sweepStorage)
    {
        var collector = context.RequestServices.GetRequiredService<GarbageCollector>();

        // Not cancelled with the request: a run that started is finished and recorded.
        var report = await collector.RunAsync(new GcRunRequest(dryRun ?? false, sweepStorage ?? false, GcTriggers.Api), CancellationToken.None);
        return Results.Json(report, GcJsonContext.Default.GcReport);
    }

    private static async Task<IResult> StatusAsync(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<GcOptions>>().Value;
        var backlog = await context.RequestServices.GetRequiredService<IGarbageCollectionStore>().GetBacklogAsync(context.RequestAborted);
        var view = new GcStatusView(backlog, settings.Enabled, settings.GracePeriod, settings.UploadExpiry, settings.DeleteUntagged, settings.Interval, settings.StorageSweepInterval);
        return Results.Json(view, GcJsonContext.Default.GcStatusView);
    }

    private static async Task<IResult> CvmfsAsync(HttpContext context, bool? dryRun)
    {
        var result = await context.RequestServices.GetRequiredService<CvmfsGcRunner>().RunAsync(dryRun ?? false, CancellationToken.None);
        return Results.Json(result, GcJsonContext.Default.CvmfsGcReport);
    }

    private static async Task<IResult> UsageAsync(HttpContext context)
    {
        var usage = await context.RequestServices.GetRequiredService<UsageCalculator>().CalculateAsync(context.RequestAborted);
        return Results.Json(usage, GcJsonContext.Default.UsageReport);
    }
}
