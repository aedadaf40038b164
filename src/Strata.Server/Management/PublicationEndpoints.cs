using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Metadata.Contracts;
using Strata.Oci.Names;
using Strata.Server.Http;
using Strata.Server.Publication;

namespace Strata.Server.Management;

/// <summary>
/// <c>/api/v1/publications</c>: the state of CernVM-FS publication per image (queued, running,
/// published with its revision and timings, failed with the reason) and on-demand publication.
/// Errors use RFC 9457 problem details, the management API's format.
/// </summary>
public static class PublicationEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/publications");
        group.MapGet("", ListAsync);
        group.MapGet("/status", StatusAsync);
        group.MapPost("", (Delegate)RequestAsync);
        group.MapPut("/whitelist", (Delegate)ImportWhitelistAsync);
    }

    /// <summary>A signed whitelist is a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxWhitelistBytes = 64 * 1024;

    /// <summary>
    /// <c>PUT /api/v1/publications/whitelist</c>: installs a <c>.cvmfswhitelist</c> signed elsewhere with
    /// the master key (body: the file as is). Verified before use (signature by the trusted master
    /// public key, repository name, expiry, our certificate listed); a bad one changes nothing (400).
    /// </summary>
    private static async Task<IResult> ImportWhitelistAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxWhitelistBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "too large", detail: $"a whitelist is at most {MaxWhitelistBytes} bytes");
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + n > MaxWhitelistBytes)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "too large", detail: $"a whitelist is at most {MaxWhitelistBytes} bytes");
            }

            body.Write(buffer, 0, n);
        }

        var publisher = context.RequestServices.GetRequiredService<Strata.Publish.Publishing.ImagePublisher>();
        try
        {
            var whitelist = await publisher.Repository.ImportWhitelistAsync(body.ToArray(), context.RequestAborted);
            var view = new WhitelistView(whitelist.RepositoryName, whitelist.IssuedAt, whitelist.ExpiresAt, whitelist.Fingerprints.Select(f => f.ToFingerprint()).ToList(), Imported: true);
            return Results.Json(view, PublicationJsonContext.Default.WhitelistView);
        }
        catch (Strata.Publish.Repository.WhitelistImportException e)
        {
            return Problem(e.Message);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, string? state, int? limit)
    {
        JobState? filter = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<JobState>(state, ignoreCase: true, out var parsed))
            {
                return Problem("state must be one of queued, running, succeeded, failed");
            }

            filter = parsed;
        }

        var jobs = await Queue(context).ListJobsAsync(PublicationConsumer.JobKind, filter, Math.Clamp(limit ?? 100, 1, 1000), context.RequestAborted);
        return Json(jobs.Select(PublicationView.From).ToList());
    }

    private static async Task<IResult> StatusAsync(HttpContext context, string? image)
    {
        if (!TryParseImage(image, out var repository, out var tag))
        {
            return Problem("image must be <repository>:<tag>");
        }

        var job = await Queue(context).GetLatestJobAsync(PublicationConsumer.JobKind, $"{repository}:{tag}", context.RequestAborted);
        return job is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"no publication of {repository}:{tag} is known")
            : Json(PublicationView.From(job));
    }

    private static async Task<IResult> RequestAsync(HttpContext context)
    {
        PublicationRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, ManagementJsonContext.Default.PublicationRequest, context.RequestAborted);
        }
        catch (JsonException e)
        {
            return Problem($"the body is not valid JSON: {e.Message}");
        }

        if (!TryParseImage(request?.Image, out var repository, out var tag))
        {
            return Problem("body must be {\"image\": \"<repository>:<tag>\"}");
        }

        var queue = Queue(context);
        var id = await PublicationConsumer.EnqueueAsync(queue, repository, tag, DateTimeOffset.UtcNow, context.RequestAborted);
        context.RequestServices.GetRequiredService<Registry.Jobs.JobSignal>().JobQueued();
        var job = await queue.GetJobAsync(id, context.RequestAborted);
        return Results.Json(PublicationView.From(job!), ManagementJsonContext.Default.PublicationView, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Splits <c>repository:tag</c> at the last colon and validates both parts.</summary>
    internal static bool TryParseImage(string? image, out string repository, out string tag)
    {
        repository = tag = "";
        var colon = image?.LastIndexOf(':') ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        repository = image![..colon];
        tag = image[(colon + 1)..];
        return RepositoryName.IsValid(repository) && TagName.IsValid(tag);
    }

    private static IJobQueue Queue(HttpContext context) => context.RequestServices.GetRequiredService<IJobQueue>();

    private static IResult Json(object value) => Results.Json(value, value.GetType(), ManagementJsonContext.Default);

    private static IResult Problem(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "bad request", detail: detail);
}
