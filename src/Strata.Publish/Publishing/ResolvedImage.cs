using Strata.Oci.Manifests;
using Strata.Publish.Repository;

namespace Strata.Publish.Publishing;

/// <summary>One platform of a tag, resolved from the metadata store.</summary>
internal sealed record ResolvedImage(PlatformImage Platform, IReadOnlyList<Descriptor> Layers);
