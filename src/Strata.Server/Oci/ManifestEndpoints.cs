using System.Buffers;
using Microsoft.AspNetCore.Http;
using Strata.Oci.Errors;
using Strata.Registry.Manifests;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>end-3 (GET/HEAD), end-7/7b (PUT, <c>?tag=</c>), end-9 (DELETE) of manifests.</summary>
internal static class ManifestEndpoints
{
    public static async Task GetAsync(HttpContext context, OciRoute route)
    {
        var reference = ManifestReference.Parse(route.Argument!);
        var manifest = await OciEndpoints.Service<ManifestService>(context).GetAsync(route.Name, reference, context.RequestAborted);
        var response = context.Response;
        var digest = manifest.Digest.ToString();
        response.ContentType = manifest.MediaType;
        response.ContentLength = manifest.Content.Length;
        response.Headers[OciHeaders.ContentDigest] = digest;
        response.Headers.ETag = $"\"{digest}\"";
        if (context.Request.Headers.IfNoneMatch.ToString() == $"\"{digest}\"")
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            return;
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(manifest.Content, context.RequestAborted);
        }
    }

    public static async Task PutAsync(HttpContext context, OciRoute route)
    {
        var reference = ManifestReference.Parse(route.Argument!);
        var service = OciEndpoints.Service<ManifestService>(context);
        var content = await ReadBodyAsync(context.Request, service.MaxManifestBytes, context.RequestAborted);
        var extraTags = context.Request.Query["tag"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        var stored = await service.PutAsync(route.Name, reference, content, context.Request.ContentType, extraTags, context.RequestAborted);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = $"/v2/{route.Name}/manifests/{stored.Digest}";
        response.Headers[OciHeaders.ContentDigest] = stored.Digest.ToString();
        if (stored.Subject is { } subject)
        {
            response.Headers[OciHeaders.Subject] = subject.ToString();
        }

        if (extraTags.Count > 0)
        {
            response.Headers[OciHeaders.Tag] = stored.Tags.Where(extraTags.Contains).ToArray();
        }

        response.ContentLength = 0;
    }

    public static async Task DeleteAsync(HttpContext context, OciRoute route)
    {
        var reference = ManifestReference.Parse(route.Argument!);
        await OciEndpoints.Service<ManifestService>(context).DeleteAsync(route.Name, reference, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
    }

    /// <summary>Reads the manifest body, refusing (413) anything over the limit before buffering it.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        var buffer = new ArrayBufferWriter<byte>((int)(request.ContentLength ?? 16 * 1024) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw TooLarge(limit);
            }
        }
    }

    private static RegistryException TooLarge(int limit) =>
        new(OciErrorCode.ManifestTooLarge, $"manifest exceeds the limit of {limit} bytes", new { limit });
}
