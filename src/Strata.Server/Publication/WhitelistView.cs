namespace Strata.Server.Publication;

/// <summary>The repository's whitelist as the management API shows it after an import.</summary>
public sealed record WhitelistView(string Repository, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, IReadOnlyList<string> Fingerprints, bool Imported);
