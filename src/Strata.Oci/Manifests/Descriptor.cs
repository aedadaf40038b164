using Strata.Oci.Digests;

namespace Strata.Oci.Manifests;

/// <summary>An OCI content descriptor as found inside a manifest or index.</summary>
public sealed record Descriptor(
    string MediaType,
    Digest Digest,
    long Size,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    Platform? Platform = null);
