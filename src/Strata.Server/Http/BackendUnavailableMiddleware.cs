using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Strata.Server.Http;

/// <summary>
/// For everything outside <c>/v2/</c> (CernVM-FS files, the management API, <c>/readyz</c>): a
/// backend that is unavailable answers 503 (429 when throttling) with Retry-After and a one-line
/// text, never a 500, so load balancers and caches take the replica out or retry. <c>/v2/</c>
/// answers in the OCI error envelope instead (<see cref="OciErrorMiddleware"/>).
/// </summary>
internal sealed partial class BackendUnavailableMiddleware(RequestDelegate next, ILogger<BackendUnavailableMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && BackendFailure.From(e) is { } failure)
        {
            LogBackendUnavailable(logger, e, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = failure.Code.HttpStatus;
            context.Response.Headers.RetryAfter = failure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(failure.Message + "\n", context.RequestAborted).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "backend unavailable while serving {Method} {Path}")]
    private static partial void LogBackendUnavailable(ILogger logger, Exception exception, string method, PathString path);
}
