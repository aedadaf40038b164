using Strata.Oci.Digests;
using Strata.Oci.Errors;

namespace Strata.Server.Oci;

/// <summary>Parses digests from paths and query strings into DIGEST_INVALID errors.</summary>
internal static class DigestArgument
{
    public static Digest Parse(string? text) =>
        Digest.TryParse(text, out var digest)
            ? digest
            : throw new RegistryException(OciErrorCode.DigestInvalid, $"invalid digest '{text}'", new { digest = text });
}
