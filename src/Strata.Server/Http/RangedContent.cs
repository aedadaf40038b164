using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Strata.Server.Http;

/// <summary>
/// Serves stored bytes with single-range support (206/416), conditional GET on a strong ETag, and
/// a bounded copy loop. Shared by registry blobs and CernVM-FS objects.
/// </summary>
internal static class RangedContent
{
    // 256 KiB per read keeps syscalls rare; one pooled buffer per transfer bounds memory.
    private const int ReadSize = 256 * 1024;

    /// <param name="open">Opens the content at an offset; called only when a body is sent.</param>
    public static async Task ServeAsync(HttpContext context, long size, string etag, Func<long, CancellationToken, Task<Stream>> open)
    {
        var response = context.Response;
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var range = new ByteRange(0, size);
        switch (ByteRange.TryResolve(context.Request.Headers.Range, size, out var requested))
        {
            case true:
                range = requested;
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = new ContentRangeHeaderValue(range.Start, range.End, size).ToString();
                break;
            case false:
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{size}";
                response.ContentLength = 0;
                return;
        }

        response.ContentLength = range.Length;
        if (HttpMethods.IsHead(context.Request.Method) || range.Length == 0)
        {
            return;
        }

        await using var stream = await open(range.Start, context.RequestAborted);
        await CopyAsync(stream, response, range.Length, context.RequestAborted);
    }

    private static async Task CopyAsync(Stream source, HttpResponse response, long length, CancellationToken cancellationToken)
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
                    throw new EndOfStreamException("stored content is shorter than recorded");
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
