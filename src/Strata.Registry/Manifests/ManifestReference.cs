using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Oci.Names;

namespace Strata.Registry.Manifests;

/// <summary>The <c>&lt;reference&gt;</c> of a manifest route: a tag or a digest.</summary>
public readonly record struct ManifestReference(string? Tag, Digest? Digest)
{
    public static ManifestReference Parse(string reference)
    {
        if (reference.Contains(':'))
        {
            return Oci.Digests.Digest.TryParse(reference, out var digest)
                ? new ManifestReference(null, digest)
                : throw new RegistryException(OciErrorCode.DigestInvalid, $"invalid digest '{reference}'");
        }

        return TagName.IsValid(reference)
            ? new ManifestReference(reference, null)
            : throw new RegistryException(OciErrorCode.TagInvalid, $"invalid tag '{reference}'");
    }

    public override string ToString() => Tag ?? Digest.ToString()!;
}
