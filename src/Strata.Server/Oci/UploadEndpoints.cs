using Microsoft.AspNetCore.Http;
using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Registry.Blobs;
using Strata.Registry.Uploads;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>
/// Blob uploads: end-4a/4b/4c (POST), end-11 (mount), end-5 (PATCH), end-6 (PUT), end-13
/// (status), end-14 (cancel). <c>Location</c> headers are relative, which the spec allows.
/// </summary>
internal static class UploadEndpoints
{
    public static async Task StartAsync(HttpContext context, OciRoute route)
    {
        var query = context.Request.Query;
        var ct = context.RequestAborted;
        if (query.ContainsKey("mount"))
        {
            var digest = DigestArgument.Parse(query["mount"]);
            string? from = query["from"];
            if (await OciEndpoints.Service<BlobService>(context).TryMountAsync(route.Name, digest, string.IsNullOrEmpty(from) ? null : from, ct))
            {
                Created(context, route.Name, digest);
                return;
            }
        }
        else if (query.ContainsKey("digest"))
        {
            var digest = DigestArgument.Parse(query["digest"]);
            await OciEndpoints.Service<UploadService>(context).PutMonolithicAsync(route.Name, digest, context.Request.Body, ct);
            Created(context, route.Name, digest);
            return;
        }

        var algorithm = DigestAlgorithm.Sha256;
        if (query["digest-algorithm"] is { Count: > 0 } requested && !DigestAlgorithm.TryGet(requested.ToString(), out algorithm))
        {
            throw new RegistryException(OciErrorCode.DigestInvalid, $"unsupported digest algorithm '{requested}'");
        }

        var session = await OciEndpoints.Service<UploadService>(context).StartAsync(route.Name, algorithm, ct);
        Accepted(context, route.Name, session.Id, 0, StatusCodes.Status202Accepted);
    }

    public static async Task PatchAsync(HttpContext context, OciRoute route)
    {
        var id = ParseId(route);
        var uploads = OciEndpoints.Service<UploadService>(context);
        ChunkRange? range = ChunkRange.TryParse(context.Request.Headers.ContentRange, out var r) ? r : null;
        if (range is null && !string.IsNullOrEmpty(context.Request.Headers.ContentRange))
        {
            throw new RegistryException(OciErrorCode.RangeInvalid, $"malformed Content-Range '{context.Request.Headers.ContentRange}'");
        }

        try
        {
            var size = await uploads.AppendAsync(route.Name, id, context.Request.Body, range, context.Request.ContentLength, context.RequestAborted);
            Accepted(context, route.Name, id, size, StatusCodes.Status202Accepted);
        }
        catch (RegistryException e) when (e.Code == OciErrorCode.RangeInvalid)
        {
            // Tell the client where the upload really is, so it can resume from there.
            var size = await uploads.GetSizeAsync(route.Name, id, context.RequestAborted);
            SetProgressHeaders(context, route.Name, id, size);
            throw;
        }
    }

    public static async Task PutAsync(HttpContext context, OciRoute route)
    {
        var id = ParseId(route);
        var digest = DigestArgument.Parse(context.Request.Query["digest"]);
        ChunkRange? range = ChunkRange.TryParse(context.Request.Headers.ContentRange, out var r) ? r : null;
        await OciEndpoints.Service<UploadService>(context)
            .CompleteAsync(route.Name, id, digest, context.Request.Body, range, context.Request.ContentLength, context.RequestAborted);
        Created(context, route.Name, digest);
    }

    public static async Task StatusAsync(HttpContext context, OciRoute route)
    {
        var id = ParseId(route);
        var size = await OciEndpoints.Service<UploadService>(context).GetSizeAsync(route.Name, id, context.RequestAborted);
        Accepted(context, route.Name, id, size, StatusCodes.Status204NoContent);
    }

    public static async Task CancelAsync(HttpContext context, OciRoute route)
    {
        var id = ParseId(route);
        await OciEndpoints.Service<UploadService>(context).CancelAsync(route.Name, id, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Guid ParseId(OciRoute route) =>
        Guid.TryParseExact(route.Argument, "N", out var id)
            ? id
            : throw new RegistryException(OciErrorCode.BlobUploadUnknown, detail: new { uuid = route.Argument });

    private static void Created(HttpContext context, string name, Digest digest)
    {
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/v2/{name}/blobs/{digest}";
        context.Response.Headers[OciHeaders.ContentDigest] = digest.ToString();
        context.Response.ContentLength = 0;
    }

    private static void Accepted(HttpContext context, string name, Guid id, long size, int status)
    {
        context.Response.StatusCode = status;
        SetProgressHeaders(context, name, id, size);
        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// <c>Range: 0-&lt;last byte&gt;</c>; with nothing uploaded yet distribution sends <c>0-0</c>
    /// and clients expect it, so we do the same.
    /// </summary>
    private static void SetProgressHeaders(HttpContext context, string name, Guid id, long size)
    {
        var uuid = id.ToString("N");
        context.Response.Headers.Location = $"/v2/{name}/blobs/uploads/{uuid}";
        context.Response.Headers.Range = $"0-{Math.Max(0, size - 1)}";
        context.Response.Headers[OciHeaders.UploadUuid] = uuid;
    }
}
