using System.Text;
using System.Text.Json.Nodes;
using Strata.Oci.Digests;
using Strata.Oci.Manifests;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Builds manifest documents for parser tests; each test mutates the parts it cares about.</summary>
internal static class ManifestJson
{
    public static string DigestOf(string seed) => Digest.Compute(DigestAlgorithm.Sha256, Encoding.UTF8.GetBytes(seed)).ToString();

    public static JsonObject Descriptor(string mediaType, string seed, long size = 100) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = DigestOf(seed),
        ["size"] = size,
    };

    public static JsonObject OciManifest() => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciManifest,
        ["config"] = Descriptor(MediaTypes.OciConfig, "config", 1469),
        ["layers"] = new JsonArray(
            Descriptor(MediaTypes.OciLayerGzip, "layer-1", 3_000_000),
            Descriptor(MediaTypes.OciLayerZstd, "layer-2", 42)),
    };

    public static JsonObject DockerManifest() => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.DockerManifest,
        ["config"] = Descriptor(MediaTypes.DockerConfig, "config", 7023),
        ["layers"] = new JsonArray(Descriptor(MediaTypes.DockerLayerGzip, "layer-1", 32654)),
    };

    public static JsonObject OciIndex() => new()
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciIndex,
        ["manifests"] = new JsonArray(
            WithPlatform(Descriptor(MediaTypes.OciManifest, "amd64", 7143), "linux", "amd64"),
            WithPlatform(Descriptor(MediaTypes.OciManifest, "arm64", 7682), "linux", "arm64", "v8")),
    };

    public static JsonObject WithPlatform(JsonObject descriptor, string os, string architecture, string? variant = null)
    {
        var platform = new JsonObject { ["os"] = os, ["architecture"] = architecture };
        if (variant is not null)
        {
            platform["variant"] = variant;
        }

        descriptor["platform"] = platform;
        return descriptor;
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static ManifestDocument Parse(JsonNode node, string? contentType = null) => ManifestParser.Parse(Bytes(node), contentType);
}
