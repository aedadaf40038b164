using Strata.Storage.Drivers;

namespace Strata.Storage.S3;

/// <summary>
/// Settings of <see cref="S3BlobDriver"/>. Works with AWS S3 and with S3-compatible servers
/// (path-style addressing, an explicit <see cref="ServiceUrl"/>).
/// <para>
/// S3-compatible servers differ from AWS in ways a client must respect. Checked against OpenStack
/// Swift 2.30 with the s3api middleware (scripts/services/start-s3.sh):
/// <list type="bullet">
/// <item>aws-chunked request bodies are refused (501), so the driver never uses chunk encoding:
/// every part is sent from a seekable in-memory buffer with a plain Content-Length.</item>
/// <item>The SDK's default flexible checksums (CRC32 headers and trailers) are not understood:
/// <see cref="ChecksumsOnlyWhenRequired"/> defaults to "when required".</item>
/// <item>DeleteObjects requires a Content-MD5 header, which the AWS SDK v4 no longer sends (it
/// sends CRC32): the driver adds it.</item>
/// <item>Only path-style addressing is configured (<see cref="ForcePathStyle"/>).</item>
/// </list>
/// </para>
/// </summary>
public sealed record S3DriverOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload, except for the last part: 5 MiB.</summary>
    public const int MinimumPartSize = 5 << 20;

    /// <summary>The largest part the driver buffers: 512 MiB (S3 itself allows 5 GiB).</summary>
    public const int MaximumPartSize = 512 << 20;

    /// <summary>
    /// Endpoint of an S3-compatible server, e.g. <c>http://127.0.0.1:9000</c>. Null for AWS S3,
    /// whose regional endpoint follows from <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Region used to sign requests (SigV4 scope); <c>us-east-1</c> for most S3-compatible servers.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The bucket; it must exist (the driver never creates or deletes buckets).</summary>
    public string Bucket { get; init; } = "";

    /// <summary>
    /// Key prefix every object is stored under, so several stores (or test runs) can share a bucket,
    /// e.g. <c>strata</c> stores <c>blobs/…</c> as <c>strata/blobs/…</c>. Empty for the bucket root.
    /// Must be a valid storage path (<see cref="StoragePath"/>) when set.
    /// </summary>
    public string Prefix { get; init; } = "";

    /// <summary>
    /// Access key id. When both keys are null, credentials come from the standard AWS chain
    /// (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, profiles, web identity, instance roles).
    /// </summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret access key, with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Optional session token for temporary credentials, with <see cref="AccessKey"/>.</summary>
    public string? SessionToken { get; init; }

    /// <summary>Path-style addressing (<c>host/bucket/key</c>), which S3-compatible servers need. Default true.</summary>
    public bool ForcePathStyle { get; init; } = true;

    /// <summary>
    /// Size of a multipart upload part, and so of the one buffer each put or writer holds: the
    /// driver's memory per concurrent upload. At least <see cref="MinimumPartSize"/>. A single put
    /// or writer can store at most 10,000 parts: 80,000 MiB with the default 8 MiB.
    /// </summary>
    public int PartSize { get; init; } = 8 << 20;

    /// <summary>Parts copied at once when a move concatenates an object server-side. Default 4.</summary>
    public int CopyConcurrency { get; init; } = 4;

    /// <summary>
    /// Retries of a failed request (throttling, 5xx, dropped connections) by the SDK, with
    /// exponential backoff ("standard" retry mode); after that the operation fails. Default 4.
    /// </summary>
    public int MaxErrorRetry { get; init; } = 4;

    /// <summary>Timeout of one HTTP request (a whole part upload included). Default 5 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Send and check checksums only when an operation requires one (default true). The SDK's
    /// default adds CRC32 checksums to every upload and download, which many S3-compatible
    /// servers reject or ignore; the SigV4 payload hash still covers every request body.
    /// </summary>
    public bool ChecksumsOnlyWhenRequired { get; init; } = true;

    /// <summary>
    /// Send UNSIGNED-PAYLOAD instead of a SHA-256 of each part (only over HTTPS; default false).
    /// Saves the CPU of hashing every byte once more; the transport's TLS still protects the body.
    /// </summary>
    public bool UnsignedPayload { get; init; }

    /// <summary>
    /// Whether the server answers blob GETs with 307 to a presigned URL of the object
    /// (<see cref="S3BlobDriver.CreatePresignedReadUrl"/>), so the bytes go from the store to the
    /// client directly. Default false: clients must then be able to reach the store.
    /// </summary>
    public bool RedirectReads { get; init; }

    /// <summary>How long a presigned GET URL stays valid. Default 20 minutes.</summary>
    public TimeSpan PresignedUrlLifetime { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Endpoint to sign presigned URLs for, when clients reach the store at another address than
    /// the server does (a public name in front of an internal endpoint). A presigned URL is bound
    /// to its host. Null: <see cref="ServiceUrl"/>.
    /// </summary>
    public string? PresignedServiceUrl { get; init; }

    /// <summary>
    /// What <see cref="object.ToString"/> shows: the settings an operator needs to recognise the store,
    /// never the secret key or session token (a record would print every property, and options end
    /// up in logs and exception messages).
    /// </summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"ServiceUrl = {ServiceUrl}, Region = {Region}, Bucket = {Bucket}, Prefix = {Prefix}, AccessKey = {AccessKey}, ");
        builder.Append($"SecretKey = {(SecretKey is null ? "" : "***")}, SessionToken = {(SessionToken is null ? "" : "***")}, ForcePathStyle = {ForcePathStyle}, PartSize = {PartSize}");
        return true;
    }

    /// <summary>Every problem with these settings, empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            errors.Add("S3: Bucket is required");
        }

        if (string.IsNullOrWhiteSpace(Region))
        {
            errors.Add("S3: Region is required (us-east-1 for most S3-compatible servers)");
        }

        CheckUrl(ServiceUrl, nameof(ServiceUrl), errors);
        CheckUrl(PresignedServiceUrl, nameof(PresignedServiceUrl), errors);
        if (Prefix.Length > 0 && !StoragePath.IsValid(Prefix.Trim('/')))
        {
            errors.Add($"S3: Prefix '{Prefix}' must be '/'-separated components of [A-Za-z0-9._-]");
        }

        if ((AccessKey is null) != (SecretKey is null))
        {
            errors.Add("S3: set both AccessKey and SecretKey, or neither (to use the AWS credential chain)");
        }

        if (PartSize is < MinimumPartSize or > MaximumPartSize)
        {
            errors.Add($"S3: PartSize must be between {MinimumPartSize} (5 MiB) and {MaximumPartSize} bytes, not {PartSize}");
        }

        if (CopyConcurrency is < 1 or > 64)
        {
            errors.Add($"S3: CopyConcurrency must be between 1 and 64, not {CopyConcurrency}");
        }

        if (MaxErrorRetry is < 0 or > 20)
        {
            errors.Add($"S3: MaxErrorRetry must be between 0 and 20, not {MaxErrorRetry}");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("S3: RequestTimeout must be positive");
        }

        if (PresignedUrlLifetime <= TimeSpan.Zero || PresignedUrlLifetime > TimeSpan.FromDays(7))
        {
            errors.Add("S3: PresignedUrlLifetime must be positive and at most 7 days (the SigV4 limit)");
        }

        return errors;
    }

    private static void CheckUrl(string? url, string name, List<string> errors)
    {
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add($"S3: {name} '{url}' must be an absolute http or https URL");
        }
    }
}
