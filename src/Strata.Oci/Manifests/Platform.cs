namespace Strata.Oci.Manifests;

/// <summary>The platform an index entry targets (image-spec "image index", <c>platform</c>).</summary>
public sealed record Platform(string Os, string Architecture, string? Variant = null, string? OsVersion = null)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
