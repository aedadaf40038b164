namespace Strata.Publish.Gc;

/// <summary>What one collection of a CernVM-FS repository found and (dry: would) delete.</summary>
/// <param name="Revision">The current revision (0: no repository yet).</param>
/// <param name="PreservedRevisions">Revisions whose objects were kept (current, recent, tagged).</param>
/// <param name="OldestPreservedRevision">The oldest of them; everything older is condemned.</param>
/// <param name="CatalogsVisited">Distinct catalogs walked in the mark phase.</param>
/// <param name="ObjectsMarked">Distinct objects reachable from a preserved revision.</param>
/// <param name="ObjectsStored">Objects listed under <c>data/</c>.</param>
/// <param name="ObjectsDeleted">Objects swept (or, dry, that would be).</param>
public sealed record RepositoryGcResult(
    bool DryRun,
    long Revision,
    int PreservedRevisions,
    long OldestPreservedRevision,
    long CatalogsVisited,
    long ObjectsMarked,
    long ObjectsStored,
    long ObjectsDeleted,
    long BytesFreed,
    long ObjectsTooYoung,
    TimeSpan Duration);
