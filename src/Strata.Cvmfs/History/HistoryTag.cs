using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.History;

/// <summary>A row of the history database's <c>tags</c> table: a named revision.</summary>
/// <param name="Name">Tag name (<c>trunk</c> and <c>trunk-previous</c> are maintained automatically).</param>
/// <param name="RootCatalogHash">Root catalog of the tagged revision.</param>
/// <param name="Revision">Revision number.</param>
/// <param name="Timestamp">Publish time, seconds since the epoch.</param>
/// <param name="Channel">Legacy update channel (0 by default).</param>
/// <param name="Description">Free text.</param>
/// <param name="RootCatalogSize">Uncompressed size of the root catalog.</param>
/// <param name="Branch">Branch name (empty for the default branch).</param>
public sealed record HistoryTag(string Name, ContentHash RootCatalogHash, long Revision, long Timestamp, int Channel, string Description, long RootCatalogSize, string Branch);
