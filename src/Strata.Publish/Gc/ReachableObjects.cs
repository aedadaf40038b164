using Strata.Cvmfs.Manifest;

namespace Strata.Publish.Gc;

/// <summary>What <see cref="ReachableObjectMarker"/> found: the objects preserved revisions reach.</summary>
/// <param name="Manifest">The current manifest.</param>
/// <param name="Objects">Repository-relative paths (<c>data/xx/…[suffix]</c>) of every reachable object.</param>
/// <param name="PreservedRevisions">Distinct root catalogs kept (current, recent, tagged).</param>
/// <param name="OldestPreservedRevision">The oldest revision kept.</param>
/// <param name="CatalogsVisited">Distinct catalogs walked.</param>
public sealed record ReachableObjects(
    RepositoryManifest Manifest,
    IReadOnlySet<string> Objects,
    int PreservedRevisions,
    long OldestPreservedRevision,
    long CatalogsVisited);
