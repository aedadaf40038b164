using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Strata.Server.Http;

/// <summary>
/// Writes a small JSON document (error envelopes, tag pages, referrer indexes): built in memory,
/// sent with a Content-Length in one asynchronous write. Utf8JsonWriter flushes synchronously, which
/// Kestrel forbids on the response stream, and these bodies are bounded (a page, an envelope).
/// </summary>
internal static class JsonResponse
{
    public static async Task WriteAsync(HttpContext context, string contentType, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = buffer.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
    }
}
