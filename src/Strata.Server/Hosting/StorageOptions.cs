using Strata.Storage.S3;

namespace Strata.Server.Hosting;

/// <summary>
/// Where blobs (and the CernVM-FS repository) are stored (configuration section <c>Storage</c>):
/// <c>Storage:Driver</c> is <c>filesystem</c> (default: <c>&lt;Data&gt;/storage</c>) or <c>s3</c>, whose
/// settings are <c>Storage:S3:*</c> (<see cref="S3DriverOptions"/>: ServiceUrl, Region, Bucket, Prefix,
/// AccessKey, SecretKey, SessionToken, ForcePathStyle, PartSize, RedirectReads, …).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string FileSystemDriver = "filesystem";
    public const string S3Driver = "s3";

    /// <summary><c>filesystem</c> or <c>s3</c> (case-insensitive).</summary>
    public string Driver { get; set; } = FileSystemDriver;

    /// <summary>The S3 settings, used when <see cref="Driver"/> is <c>s3</c>.</summary>
    public S3DriverOptions S3 { get; set; } = new();

    public bool IsS3 => string.Equals(Driver, S3Driver, StringComparison.OrdinalIgnoreCase);
}
