using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Strata.Oci.Errors;

namespace Strata.Server.Http;

/// <summary>
/// Turns <see cref="RegistryException"/> into the spec's error envelope, and anything unexpected
/// into a 500 in the same envelope (code UNKNOWN) without leaking internals. Also stamps the API
/// version header every <c>/v2/</c> response carries.
/// </summary>
internal sealed partial class OciErrorMiddleware(RequestDelegate next, ILogger<OciErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers[OciHeaders.ApiVersion] = OciHeaders.ApiVersionValue;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (RegistryException e) when (!context.Response.HasStarted)
        {
            await OciErrorWriter.WriteAsync(context, e.Code, e.Message, e.Detail).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's own request errors (body too large, client too slow, malformed framing).
            var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? OciErrorCode.ManifestTooLarge : OciErrorCode.BlobUploadInvalid;
            await OciErrorWriter.WriteAsync(context, code, e.Message, null).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted && BackendFailure.From(e) is { } failure)
        {
            // A backend down or throttling: retryable, never a 500 (see BackendFailure).
            LogBackendUnavailable(logger, e, context.Request.Method, context.Request.Path);
            context.Response.Headers.Remove("Location");
            context.Response.Headers.RetryAfter = failure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await OciErrorWriter.WriteAsync(context, failure.Code, failure.Message, null).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
            context.Response.Headers.Remove("Location");
            await OciErrorWriter.WriteAsync(context, OciErrorCode.Unknown, "internal error; see the server log", null).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "failed to serve {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "backend unavailable while serving {Method} {Path}")]
    private static partial void LogBackendUnavailable(ILogger logger, Exception exception, string method, PathString path);
}
