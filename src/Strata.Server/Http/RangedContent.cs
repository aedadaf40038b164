using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Strata.Server.Http;

/// <summary>
/// Serves stored bytes with single-range support (206/416), conditional GET on a strong ETag, and
/// a bounded copy loop. Shared by registry blobs and CernVM-FS objects.
/// </summary>
internal static class RangedContent
{
    // 1 MiB per read: each chunk costs a hand-off to Kestrel's sending thread and back, and at
    // 256 KiB those hand-offs made a 1 GiB GET cost 0.61 CPU s instead of 0.44 (docs/benchmarks.md).
    // Kestrel's output back-pressure bounds memory to about one chunk in flight per transfer.
    private const int ReadSize = 1024 * 1024;

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

    /// <summary>
    /// Reads the content straight into the connection's output buffers: with the headers sent,
    /// <see cref="HttpResponse.BodyWriter"/> hands out the transport pipe's own memory, so each
    /// chunk is copied once (file to pipe) instead of twice (file to a pooled buffer, buffer to
    /// pipe). Distribution's Go server uses <c>sendfile</c>, which Kestrel does not offer; this is
    /// the fewest copies Kestrel allows (see docs/benchmarks.md, "large blob GET").
    /// </summary>
    private static async Task CopyAsync(Stream source, HttpResponse response, long length, CancellationToken cancellationToken)
    {
        await response.StartAsync(cancellationToken);
        var writer = response.BodyWriter;
        var remaining = length;
        while (remaining > 0)
        {
            var memory = writer.GetMemory(ReadSize);
            var wanted = (int)Math.Min(Math.Min(memory.Length, ReadSize), remaining);
            // At least the whole chunk unless the content ends: a network source (an S3 GET)
            // returns what one socket read had, often 64 KiB, and a flush per such piece made a
            // thread hand-off per 64 KiB (docs/benchmarks.md, "Scale-out on S3, third pass").
            var read = await source.ReadAtLeastAsync(memory[..wanted], wanted, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("stored content is shorter than recorded");
            }

            writer.Advance(read);
            remaining -= read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                // The client went away; Kestrel has already aborted the response.
                return;
            }
        }
    }
}
