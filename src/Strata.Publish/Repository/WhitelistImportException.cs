namespace Strata.Publish.Repository;

/// <summary>A whitelist offered for import is not usable (bad signature, other repository, expired, certificate not listed); nothing was changed.</summary>
public sealed class WhitelistImportException(string message, Exception? inner = null) : Exception(message, inner);
