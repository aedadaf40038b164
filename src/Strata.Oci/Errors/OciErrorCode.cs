namespace Strata.Oci.Errors;

/// <summary>
/// The error codes of the OCI distribution spec (code-1 … code-14), each registered once with its
/// wire value, default message and HTTP status, in the manner of distribution's errcode registry.
/// The domain raises <see cref="RegistryException"/> with one of these; only the HTTP edge turns it
/// into the <c>{"errors":[…]}</c> envelope.
/// </summary>
public sealed class OciErrorCode
{
    public static readonly OciErrorCode BlobUnknown = new("BLOB_UNKNOWN", "blob unknown to registry", 404);
    public static readonly OciErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", "blob upload invalid", 400);
    public static readonly OciErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry", 404);
    public static readonly OciErrorCode DigestInvalid = new("DIGEST_INVALID", "provided digest did not match uploaded content", 400);
    public static readonly OciErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", "manifest references a manifest or blob unknown to registry", 400);
    public static readonly OciErrorCode ManifestInvalid = new("MANIFEST_INVALID", "manifest invalid", 400);
    public static readonly OciErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", "manifest unknown to registry", 404);
    public static readonly OciErrorCode NameInvalid = new("NAME_INVALID", "invalid repository name", 400);
    public static readonly OciErrorCode NameUnknown = new("NAME_UNKNOWN", "repository name not known to registry", 404);
    public static readonly OciErrorCode SizeInvalid = new("SIZE_INVALID", "provided length did not match content length", 400);
    public static readonly OciErrorCode Unauthorized = new("UNAUTHORIZED", "authentication required", 401);
    public static readonly OciErrorCode Denied = new("DENIED", "requested access to the resource is denied", 403);
    public static readonly OciErrorCode Unsupported = new("UNSUPPORTED", "the operation is unsupported", 405);
    public static readonly OciErrorCode TooManyRequests = new("TOOMANYREQUESTS", "too many requests", 429);

    // Not in the spec's table, but distribution uses them and clients understand the envelope.
    public static readonly OciErrorCode TagInvalid = new("TAG_INVALID", "manifest tag did not match URI", 400);
    public static readonly OciErrorCode RangeInvalid = new("BLOB_UPLOAD_INVALID", "requested range not satisfiable", 416);
    public static readonly OciErrorCode ManifestTooLarge = new("MANIFEST_INVALID", "manifest too large", 413);
    public static readonly OciErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", "invalid number of results requested", 400);
    public static readonly OciErrorCode Unknown = new("UNKNOWN", "unknown error", 500);
    public static readonly OciErrorCode Unavailable = new("UNAVAILABLE", "service unavailable", 503);

    private OciErrorCode(string code, string message, int httpStatus)
    {
        Code = code;
        Message = message;
        HttpStatus = httpStatus;
    }

    /// <summary>Wire value, e.g. <c>BLOB_UNKNOWN</c>.</summary>
    public string Code { get; }

    /// <summary>Default human-readable message.</summary>
    public string Message { get; }

    public int HttpStatus { get; }

    public override string ToString() => Code;
}
