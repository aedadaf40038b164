using Microsoft.AspNetCore.Http;
using Strata.Oci.Digests;
using Strata.Registry.Blobs;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>end-2 (GET/HEAD blob, with Range and ETag) and end-10 (DELETE blob).</summary>
internal static class BlobEndpoints
{
    public static async Task GetAsync(HttpContext context, OciRoute route)
    {
        var digest = DigestArgument.Parse(route.Argument);
        var blobs = OciEndpoints.Service<BlobService>(context);
        var blob = await blobs.GetAsync(route.Name, digest, context.RequestAborted);
        var response = context.Response;
        response.Headers[OciHeaders.ContentDigest] = digest.ToString();
        if (ShouldRedirect(context, blob.Size, digest) is { } redirect)
        {
            // Temporary: the presigned URL expires, so clients must come back here next time.
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers.Location = redirect.UrlFor(digest).AbsoluteUri;
            response.Headers.CacheControl = "no-store";
            response.ContentLength = 0;
            return;
        }

        // Content-addressed: the bytes under a digest never change.
        response.Headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";
        await RangedContent.ServeAsync(context, blob.Size, $"\"{digest}\"", (offset, ct) => blobs.OpenAsync(digest, offset, ct));
    }

    /// <summary>The redirect to use for this request, or null to serve the bytes here (see <see cref="BlobReadRedirect"/>).</summary>
    private static BlobReadRedirect? ShouldRedirect(HttpContext context, long size, Digest digest) =>
        HttpMethods.IsGet(context.Request.Method)
        && size > 0
        && context.RequestServices.GetService(typeof(BlobReadRedirect)) is BlobReadRedirect redirect
        && context.Request.Headers.IfNoneMatch.ToString() != $"\"{digest}\""
            ? redirect
            : null;

    public static async Task DeleteAsync(HttpContext context, OciRoute route)
    {
        var digest = DigestArgument.Parse(route.Argument);
        await OciEndpoints.Service<BlobService>(context).DeleteAsync(route.Name, digest, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }
}
