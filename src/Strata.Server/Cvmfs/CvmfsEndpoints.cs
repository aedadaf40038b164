using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Strata.Server.Http;
using Strata.Storage.Drivers;

namespace Strata.Server.Cvmfs;

/// <summary>
/// Serves CernVM-FS repositories (Stratum 0) under <c>/cvmfs/&lt;fqrn&gt;/</c> from the blob
/// driver (<c>cvmfs/&lt;fqrn&gt;/…</c>), with the caching rules CernVM-FS documents for its
/// web servers: content-addressed objects are immutable and cached for days; the manifest, the
/// whitelist and other dot files for 61 seconds, so proxies pick up a new revision within a
/// minute. Only the repository's own file names are served; anything else is 404.
/// </summary>
public static partial class CvmfsEndpoints
{
    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryName();

    [GeneratedRegex(@"^(data/[0-9a-f]{2}/[0-9a-f]{38,126}(-[a-z0-9]+)?[A-Z]?|\.cvmfspublished|\.cvmfswhitelist|\.cvmfsreflog|\.cvmfs_last_snapshot|\.cvmfs_master_replica|\.cvmfs_status\.json)$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryFile();

    private const string ObjectCacheControl = "public, max-age=259200, immutable";
    private const string ManifestCacheControl = "public, max-age=61";

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapMethods("/cvmfs/{fqrn}/{**path}", [HttpMethods.Get, HttpMethods.Head], ServeAsync);

    private static async Task ServeAsync(HttpContext context, string fqrn, string? path)
    {
        if (!RepositoryName().IsMatch(fqrn) || path is null || !RepositoryFile().IsMatch(path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var driver = context.RequestServices.GetRequiredService<IBlobDriver>();
        var storagePath = $"cvmfs/{fqrn}/{path}";
        var info = await driver.StatAsync(storagePath, context.RequestAborted);
        if (info is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.Headers.CacheControl = "no-cache";
            return;
        }

        var isObject = path.StartsWith("data/", StringComparison.Ordinal);
        context.Response.ContentType = "application/x-cvmfs";
        context.Response.Headers.CacheControl = isObject ? ObjectCacheControl : ManifestCacheControl;
        var etag = isObject ? $"\"{path[5..].Replace("/", "")}\"" : $"\"{info.Size:x}-{info.LastModified.UtcTicks:x}\"";
        await RangedContent.ServeAsync(context, info.Size, etag, (offset, ct) => driver.OpenReadAsync(storagePath, offset, ct));
    }
}
