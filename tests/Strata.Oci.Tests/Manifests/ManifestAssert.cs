using System.Text;
using System.Text.Json.Nodes;
using Strata.Oci.Errors;
using Strata.Oci.Manifests;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Every refusal of the parser must be MANIFEST_INVALID: anything else would reach a client as a 500.</summary>
internal static class ManifestAssert
{
    public static RegistryException Invalid(JsonNode node, string? contentType = null, string? messagePart = null) =>
        Invalid(ManifestJson.Bytes(node), contentType, messagePart);

    public static RegistryException Invalid(string json, string? contentType = null, string? messagePart = null) =>
        Invalid(Encoding.UTF8.GetBytes(json), contentType, messagePart);

    public static RegistryException Invalid(byte[] content, string? contentType = null, string? messagePart = null)
    {
        var e = Assert.Throws<RegistryException>(() => ManifestParser.Parse(content, contentType));
        Assert.Same(OciErrorCode.ManifestInvalid, e.Code);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, e.Message, StringComparison.OrdinalIgnoreCase);
        }

        return e;
    }
}
