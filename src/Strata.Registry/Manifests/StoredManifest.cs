using Strata.Oci.Digests;

namespace Strata.Registry.Manifests;

/// <summary>The result of a manifest PUT.</summary>
public sealed record StoredManifest(Digest Digest, Digest? Subject, IReadOnlyList<string> Tags);
