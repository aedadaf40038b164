namespace Strata.Metadata.Contracts.Identity;

/// <summary>What creating a project writes.</summary>
public sealed record NewProject(string Name, bool IsPublic, long StorageQuotaBytes, bool PublishPrivate);
