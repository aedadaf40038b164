using System.Text.Json.Nodes;
using Strata.Oci.Manifests;
using static Strata.Oci.Tests.Manifests.ManifestJson;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Documents the parser refuses, each with MANIFEST_INVALID.</summary>
public sealed class ManifestParserRejectionTests
{
    private const string Schema1Body = """
        {"schemaVersion":1,"name":"library/x","tag":"latest","architecture":"amd64",
         "fsLayers":[{"blobSum":"sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
         "history":[{"v1Compatibility":"{}"}]}
        """;

    [Theory]
    [InlineData(MediaTypes.DockerSchema1)]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    [InlineData(MediaTypes.DockerSchema1Signed + "; charset=utf-8")]
    public void Schema1_content_type_is_refused_with_advice(string contentType)
    {
        ManifestAssert.Invalid(ManifestJson.Bytes(OciManifest()), contentType, "schema 1");
    }

    [Fact]
    public void Schema1_body_is_refused_with_advice()
    {
        ManifestAssert.Invalid(Schema1Body, messagePart: "schema 1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"schemaVersion\":2,}")]
    [InlineData("{'schemaVersion':2}")]
    [InlineData("{\"schemaVersion\":2} // comment")]
    [InlineData("nul")]
    public void Malformed_json_is_refused(string json)
    {
        ManifestAssert.Invalid(json, messagePart: "JSON");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"manifest\"")]
    [InlineData("2")]
    [InlineData("null")]
    public void Json_that_is_not_an_object_is_refused(string json)
    {
        ManifestAssert.Invalid(json, messagePart: "object");
    }

    [Theory]
    [InlineData("""{"mediaType":"application/vnd.oci.image.manifest.v1+json"}""")]
    [InlineData("""{"schemaVersion":"2"}""")]
    [InlineData("""{"schemaVersion":null}""")]
    public void Missing_or_non_numeric_schema_version_is_refused(string json)
    {
        ManifestAssert.Invalid(json, messagePart: "schemaVersion");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(2.5)]
    public void Schema_version_other_than_2_is_refused(double version)
    {
        var document = OciManifest();
        document["schemaVersion"] = version;

        ManifestAssert.Invalid(document, messagePart: "schemaVersion");
    }

    [Fact]
    public void Image_manifest_without_config_is_refused()
    {
        var document = OciManifest();
        document.Remove("config");

        ManifestAssert.Invalid(document, messagePart: "config");
    }

    [Fact]
    public void Config_that_is_not_an_object_is_refused()
    {
        var document = OciManifest();
        document["config"] = DigestOf("config");

        ManifestAssert.Invalid(document, messagePart: "config");
    }

    [Fact]
    public void Layers_that_are_not_an_array_is_refused()
    {
        var document = OciManifest();
        document["layers"] = Descriptor(MediaTypes.OciLayerGzip, "layer");

        ManifestAssert.Invalid(document, messagePart: "array");
    }

    [Fact]
    public void Layer_that_is_not_an_object_is_refused()
    {
        var document = OciManifest();
        document["layers"]!.AsArray().Add(DigestOf("layer"));

        ManifestAssert.Invalid(document, messagePart: "layers[2]");
    }

    public static TheoryData<string, JsonNode?> BadDescriptorFields => new()
    {
        { "mediaType", null },
        { "mediaType", "" },
        { "mediaType", 42 },
        { "digest", null },
        { "digest", "" },
        { "digest", "sha256:" + new string('A', 64) },
        { "digest", "sha256:" + new string('a', 63) },
        { "digest", "sha256:" + new string('a', 65) },
        { "digest", "md5:d41d8cd98f00b204e9800998ecf8427e" },
        { "digest", "sha256:../../../etc/passwd" },
        { "size", null },
        { "size", -1 },
        { "size", 1.5 },
        { "size", "100" },
        { "size", 1e30 },
    };

    [Theory]
    [MemberData(nameof(BadDescriptorFields))]
    public void Layer_descriptor_with_a_bad_field_is_refused(string field, JsonNode? value)
    {
        var document = OciManifest();
        SetOrRemove(document["layers"]![1]!.AsObject(), field, value);

        ManifestAssert.Invalid(document);
    }

    [Theory]
    [MemberData(nameof(BadDescriptorFields))]
    public void Config_descriptor_with_a_bad_field_is_refused(string field, JsonNode? value)
    {
        var document = OciManifest();
        SetOrRemove(document["config"]!.AsObject(), field, value);

        ManifestAssert.Invalid(document);
    }

    [Theory]
    [MemberData(nameof(BadDescriptorFields))]
    public void Index_entry_with_a_bad_field_is_refused(string field, JsonNode? value)
    {
        var document = OciIndex();
        SetOrRemove(document["manifests"]![0]!.AsObject(), field, value);

        ManifestAssert.Invalid(document);
    }

    [Fact]
    public void Subject_with_a_bad_digest_is_refused()
    {
        var document = OciManifest();
        document["subject"] = Descriptor(MediaTypes.OciManifest, "subject");
        document["subject"]!["digest"] = "sha256:nope";

        ManifestAssert.Invalid(document, messagePart: "subject");
    }

    [Fact]
    public void Subject_that_is_not_an_object_is_refused()
    {
        var document = OciManifest();
        document["subject"] = DigestOf("subject");

        ManifestAssert.Invalid(document, messagePart: "subject");
    }

    [Fact]
    public void Annotation_with_a_non_string_value_is_refused()
    {
        var document = OciManifest();
        document["annotations"] = new JsonObject { ["count"] = 3 };

        ManifestAssert.Invalid(document, messagePart: "annotation");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"a=b\"")]
    [InlineData("1")]
    public void Annotations_that_are_not_an_object_are_refused(string annotations)
    {
        var document = OciManifest();
        document["annotations"] = JsonNode.Parse(annotations);

        ManifestAssert.Invalid(document, messagePart: "annotations");
    }

    [Fact]
    public void Descriptor_annotations_that_are_not_an_object_are_refused()
    {
        var document = OciManifest();
        document["layers"]![0]!["annotations"] = new JsonArray("a");

        ManifestAssert.Invalid(document, messagePart: "annotations");
    }

    [Fact]
    public void Artifact_type_that_is_not_a_string_is_refused()
    {
        var document = OciManifest();
        document["artifactType"] = 1;

        ManifestAssert.Invalid(document, messagePart: "artifactType");
    }

    private static void SetOrRemove(JsonObject descriptor, string field, JsonNode? value)
    {
        if (value is null)
        {
            descriptor.Remove(field);
        }
        else
        {
            descriptor[field] = value;
        }
    }
}
