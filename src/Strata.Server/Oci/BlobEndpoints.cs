using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Strata.Registry.Blobs;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>end-2 (GET/HEAD blob, with Range and ETag) and end-10 (DELETE blob).</summary>
internal static class BlobEndpoints
{
    // 256 KiB per read keeps syscalls rare; one pooled buffer per transfer bounds memory.
    private const int ReadSize = 256 * 1024;

    public static async Task GetAsync(HttpContext context, OciRoute route)
    {
        var digest = DigestArgument.Parse(route.Argument);
        var blobs = OciEndpoints.Service<BlobService>(context);
        var blob = await blobs.GetAsync(route.Name, digest, context.RequestAborted);
        var response = context.Response;
        var etag = $"\"{digest}\"";
        response.Headers[OciHeaders.ContentDigest] = digest.ToString();
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";

        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var range = new ByteRange(0, blob.Size);
        switch (ByteRange.TryResolve(context.Request.Headers.Range, blob.Size, out var requested))
        {
            case true:
                range = requested;
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = new ContentRangeHeaderValue(range.Start, range.End, blob.Size).ToString();
                break;
            case false:
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{blob.Size}";
                response.ContentLength = 0;
                return;
        }

        response.ContentLength = range.Length;
        if (HttpMethods.IsHead(context.Request.Method) || range.Length == 0)
        {
            return;
        }

        await using var stream = await blobs.OpenAsync(digest, range.Start, context.RequestAborted);
        await CopyToResponseAsync(stream, response, range.Length, context.RequestAborted);
    }

    public static async Task DeleteAsync(HttpContext context, OciRoute route)
    {
        var digest = DigestArgument.Parse(route.Argument);
        await OciEndpoints.Service<BlobService>(context).DeleteAsync(route.Name, digest, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }

    private static async Task CopyToResponseAsync(Stream source, HttpResponse response, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(ReadSize, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new EndOfStreamException("stored blob is shorter than recorded");
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
