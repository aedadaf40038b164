using Strata.Oci.Digests;

namespace Strata.Publish.Repository;

/// <summary>One platform of a tag: its flat image and, for an index, its own manifest bytes.</summary>
/// <param name="Os">OCI <c>os</c>, e.g. <c>linux</c>.</param>
/// <param name="Architecture">OCI <c>architecture</c>, e.g. <c>amd64</c>.</param>
/// <param name="Variant">OCI <c>variant</c>, e.g. <c>v8</c>, or null.</param>
/// <param name="Config">Config digest: names the flat image.</param>
/// <param name="ManifestBytes">The platform's image manifest (index members), or null.</param>
public sealed record PlatformImage(string Os, string Architecture, string? Variant, Digest Config, byte[]? ManifestBytes = null)
{
    /// <summary>The entry name under <c>/.platforms/…/</c>: <c>&lt;os&gt;-&lt;arch&gt;[-&lt;variant&gt;]</c>.</summary>
    public string Name => Variant is { Length: > 0 } v ? $"{Os}-{Architecture}-{v}" : $"{Os}-{Architecture}";
}
