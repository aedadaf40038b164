namespace Strata.Metadata.Contracts.Identity;

/// <summary>
/// A project: the first path component of its repositories' names. <see cref="StorageQuotaBytes"/>
/// is -1 for unlimited (enforced by the lifecycle work); <see cref="PublishPrivate"/> is the
/// administrator's explicit consent to publish a private project's images to CernVM-FS.
/// </summary>
public sealed record ProjectRecord(
    long Id,
    string Name,
    bool IsPublic,
    long StorageQuotaBytes,
    bool PublishPrivate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
