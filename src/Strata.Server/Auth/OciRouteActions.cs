using Strata.Identity.Rbac;
using Strata.Server.Oci;

namespace Strata.Server.Auth;

/// <summary>
/// The token action each <c>/v2/</c> route needs on <c>repository:&lt;name&gt;</c>, as distribution
/// maps methods (<c>registry/handlers/app.go</c>): reads need pull; uploads and manifest writes
/// need pull and push; deletes need delete. The cross-repository mount's need (pull on the source)
/// is checked separately, since a refused mount falls back to a plain upload.
/// </summary>
public static class OciRouteActions
{
    private static readonly string[] Pull = [Actions.Pull];
    private static readonly string[] PullPush = [Actions.Pull, Actions.Push];
    private static readonly string[] Delete = [Actions.Delete];

    public static IReadOnlyList<string> For(OciRouteKind kind, string method) => (kind, method) switch
    {
        (OciRouteKind.Blob, "DELETE") => Delete,
        (OciRouteKind.Manifest, "DELETE") => Delete,
        (OciRouteKind.Manifest, "PUT") => PullPush,
        (OciRouteKind.UploadStart or OciRouteKind.Upload, _) => PullPush,
        _ => Pull,
    };
}
