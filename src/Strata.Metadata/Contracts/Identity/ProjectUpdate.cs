namespace Strata.Metadata.Contracts.Identity;

/// <summary>A partial update of a project: null leaves a field as it is.</summary>
public sealed record ProjectUpdate(bool? IsPublic, long? StorageQuotaBytes, bool? PublishPrivate);
