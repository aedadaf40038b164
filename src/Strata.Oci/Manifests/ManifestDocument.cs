using Strata.Oci.Digests;

namespace Strata.Oci.Manifests;

/// <summary>
/// What the registry needs to know about a manifest: its media type, the blobs it references
/// (config and layers), the manifests it references (index entries), and its subject.
/// The original bytes are kept elsewhere, untouched.
/// </summary>
public sealed record ManifestDocument(
    string MediaType,
    Descriptor? Config,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<Descriptor> Manifests,
    Descriptor? Subject,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>
    /// The artifact type the referrers API reports: the manifest's own <c>artifactType</c>, else
    /// the config's media type (image-spec "artifactType" guidance).
    /// </summary>
    public string? EffectiveArtifactType => ArtifactType ?? Config?.MediaType;

    /// <summary>Every blob this manifest needs to exist in the repository (config + layers).</summary>
    public IEnumerable<Descriptor> Blobs => Config is null ? Layers : Layers.Prepend(Config);

    public IEnumerable<Digest> ReferencedManifestDigests => Manifests.Select(m => m.Digest);
}
