using Strata.Oci.Digests;
using Strata.Storage;
using Strata.Storage.S3;

namespace Strata.Server.Oci;

/// <summary>
/// Sends blob downloads to the object store (<c>Storage:S3:RedirectReads</c>): a GET of a blob the
/// repository links is answered with 307 and a presigned URL of its object, so the bytes flow from
/// S3 to the client without passing through the replica, as distribution's <c>redirect</c> does.
/// Registered only when the store is S3 and the setting is on.
/// <para>
/// The registry still decides who may read what: the route's authorization and the repository's
/// link are checked before a URL is made, and the URL opens that one object for
/// <see cref="S3DriverOptions.PresignedUrlLifetime"/> only. HEAD, conditional GETs and empty
/// blobs are answered here (no bytes to move). Clients must reach the store at the URL's address
/// (<see cref="S3DriverOptions.PresignedServiceUrl"/> when it differs from the replica's).
/// </para>
/// </summary>
internal sealed class BlobReadRedirect(S3BlobDriver driver)
{
    /// <summary>A URL for GETs of the blob's bytes (ranges included: clients send their Range header on).</summary>
    public Uri UrlFor(Digest digest) => driver.CreatePresignedReadUrl(BlobPaths.Blob(digest));
}
