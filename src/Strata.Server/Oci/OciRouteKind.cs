namespace Strata.Server.Oci;

/// <summary>The resources of the <c>/v2/</c> API (OCI distribution spec endpoint table).</summary>
public enum OciRouteKind
{
    /// <summary>end-1: <c>/v2/</c>.</summary>
    Ping,
    /// <summary><c>/v2/_catalog</c>.</summary>
    Catalog,
    /// <summary>end-2, end-10: <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>.</summary>
    Blob,
    /// <summary>end-4, end-11: <c>/v2/&lt;name&gt;/blobs/uploads/</c>.</summary>
    UploadStart,
    /// <summary>end-5, end-6, end-13, end-14: <c>/v2/&lt;name&gt;/blobs/uploads/&lt;id&gt;</c>.</summary>
    Upload,
    /// <summary>end-3, end-7, end-9: <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>.</summary>
    Manifest,
    /// <summary>end-8: <c>/v2/&lt;name&gt;/tags/list</c>.</summary>
    TagList,
    /// <summary>end-12: <c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>.</summary>
    Referrers,
}
