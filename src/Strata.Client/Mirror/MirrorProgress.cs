namespace Strata.Client.Mirror;

/// <summary>A snapshot of a running synchronisation: objects and bytes fetched, objects already present.</summary>
/// <param name="ObjectsFetched">Objects downloaded, verified and stored in this run.</param>
/// <param name="BytesFetched">Stored (compressed) bytes of those objects.</param>
/// <param name="ObjectsPresent">Objects (and catalogs, each standing for its subtree) found already mirrored.</param>
public readonly record struct MirrorProgress(long ObjectsFetched, long BytesFetched, long ObjectsPresent);
