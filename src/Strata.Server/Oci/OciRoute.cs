using System.Text.RegularExpressions;

namespace Strata.Server.Oci;

/// <summary>
/// A parsed <c>/v2/…</c> path. Repository names contain slashes, so the resource is recognised by
/// the path's fixed suffix (<c>/blobs/uploads/&lt;id&gt;</c>, <c>/blobs/&lt;digest&gt;</c>,
/// <c>/manifests/&lt;ref&gt;</c>, <c>/tags/list</c>, <c>/referrers/&lt;digest&gt;</c>) and the name is
/// whatever precedes it; the suffixes are tried in that order, so a repository may itself be
/// called <c>…/blobs</c>. The name is validated later, by the endpoint.
/// </summary>
public sealed partial record OciRoute(OciRouteKind Kind, string Name, string? Argument)
{
    // "uploads" is a whole path segment: ".../blobs/uploadsX" is a blob reference, not upload X.
    [GeneratedRegex(@"^(?<name>.+)/blobs/uploads(?:/(?<arg>[^/]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Upload();

    [GeneratedRegex(@"^(?<name>.+)/blobs/(?<arg>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Blob();

    [GeneratedRegex(@"^(?<name>.+)/manifests/(?<arg>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Manifest();

    [GeneratedRegex(@"^(?<name>.+)/tags/list$", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex(@"^(?<name>.+)/referrers/(?<arg>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Referrers();

    /// <param name="path">
    /// The part after <c>/v2/</c>, without query string. Trailing slashes are ignored, as
    /// distribution ignores them (<c>/v2/</c>, <c>…/blobs/uploads/</c>).
    /// </param>
    public static OciRoute? TryParse(string path)
    {
        path = path.TrimEnd('/');
        if (path.Length == 0)
        {
            return new OciRoute(OciRouteKind.Ping, "", null);
        }

        if (path is "_catalog")
        {
            return new OciRoute(OciRouteKind.Catalog, "", null);
        }

        if (Upload().Match(path) is { Success: true } u)
        {
            var id = u.Groups["arg"].Value;
            return new OciRoute(id.Length == 0 ? OciRouteKind.UploadStart : OciRouteKind.Upload, u.Groups["name"].Value, id.Length == 0 ? null : id);
        }

        return Match(Blob(), path, OciRouteKind.Blob)
            ?? Match(Manifest(), path, OciRouteKind.Manifest)
            ?? Match(Referrers(), path, OciRouteKind.Referrers)
            ?? (Tags().Match(path) is { Success: true } t ? new OciRoute(OciRouteKind.TagList, t.Groups["name"].Value, null) : null);
    }

    private static OciRoute? Match(Regex regex, string path, OciRouteKind kind) =>
        regex.Match(path) is { Success: true } m ? new OciRoute(kind, m.Groups["name"].Value, m.Groups["arg"].Value) : null;
}
