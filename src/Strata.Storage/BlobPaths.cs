using Strata.Oci.Digests;

namespace Strata.Storage;

/// <summary>
/// The registry's layout inside a blob driver. Every path is built here and nowhere else.
/// <code>
/// blobs/
///   sha256/ab/abcdef…          content-addressed blob data, global (repositories link to it in metadata)
///   sha512/12/1234…
/// uploads/
///   &lt;session id&gt;/data          bytes of an upload in progress (moved to blobs/ when the digest matched)
/// </code>
/// Repository → blob links, manifests and tags live in the metadata store, so a blob written here
/// is reachable only through a repository that links it.
/// </summary>
public static class BlobPaths
{
    public const string BlobsRoot = "blobs";
    public const string UploadsRoot = "uploads";

    public static string Blob(Digest digest) => $"{BlobsRoot}/{digest.Algorithm.Name}/{digest.Hex[..2]}/{digest.Hex}";

    public static string UploadData(Guid sessionId) => $"{UploadsRoot}/{sessionId:N}/data";

    public static string Upload(Guid sessionId) => $"{UploadsRoot}/{sessionId:N}";
}
