using Strata.Cvmfs.Objects;

namespace Strata.Publish.Repository;

/// <summary>A revision made visible by <see cref="RepositoryPublisher.CommitAsync"/>.</summary>
/// <param name="Revision">Manifest <c>S</c>.</param>
/// <param name="RootCatalogHash">Manifest <c>C</c>.</param>
/// <param name="Timestamp">Manifest <c>T</c> (seconds since the epoch).</param>
/// <param name="CatalogsWritten">Catalogs written by the commit itself.</param>
/// <param name="WhitelistRenewed">True when a new whitelist was signed.</param>
public sealed record CommittedRevision(long Revision, ContentHash RootCatalogHash, long Timestamp, int CatalogsWritten, bool WhitelistRenewed);
