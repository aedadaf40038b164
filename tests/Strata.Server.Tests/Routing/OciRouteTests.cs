using Strata.Server.Oci;

namespace Strata.Server.Tests.Routing;

/// <summary>How a <c>/v2/…</c> path is split into resource, repository name and argument.</summary>
public sealed class OciRouteTests
{
    [Theory]
    [InlineData("", OciRouteKind.Ping, "", null)]
    [InlineData("/", OciRouteKind.Ping, "", null)]
    [InlineData("_catalog", OciRouteKind.Catalog, "", null)]
    [InlineData("a/b/blobs/uploads", OciRouteKind.UploadStart, "a/b", null)]
    [InlineData("a/b/blobs/uploads/", OciRouteKind.UploadStart, "a/b", null)]
    [InlineData("a/b/blobs/uploads/1234", OciRouteKind.Upload, "a/b", "1234")]
    [InlineData("a/b/blobs/uploads/1234/", OciRouteKind.Upload, "a/b", "1234")]
    [InlineData("a/blobs/sha256:00", OciRouteKind.Blob, "a", "sha256:00")]
    [InlineData("a/manifests/latest", OciRouteKind.Manifest, "a", "latest")]
    [InlineData("a/manifests/latest/", OciRouteKind.Manifest, "a", "latest")]
    [InlineData("a/tags/list", OciRouteKind.TagList, "a", null)]
    [InlineData("a/referrers/sha256:00", OciRouteKind.Referrers, "a", "sha256:00")]
    // A repository may itself be called ".../blobs": the suffix decides.
    [InlineData("x/blobs/blobs/sha256:00", OciRouteKind.Blob, "x/blobs", "sha256:00")]
    public void Path_is_split_by_its_fixed_suffix(string path, OciRouteKind kind, string name, string? argument)
    {
        var route = OciRoute.TryParse(path);

        Assert.Equal(new OciRoute(kind, name, argument), route);
    }

    [Fact]
    public void Uploads_must_be_a_whole_segment()
    {
        // Before: "uploads" followed by anything was an upload id ("uploadsX" -> upload "X").
        var route = OciRoute.TryParse("a/blobs/uploadsX");

        Assert.Equal(new OciRoute(OciRouteKind.Blob, "a", "uploadsX"), route);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/unknown/thing")]
    [InlineData("a/tags")]
    public void Unknown_paths_are_not_routes(string path)
    {
        Assert.Null(OciRoute.TryParse(path));
    }
}
