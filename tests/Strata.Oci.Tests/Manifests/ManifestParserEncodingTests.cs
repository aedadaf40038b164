using System.Text;
using Strata.Oci.Manifests;
using static Strata.Oci.Tests.Manifests.ManifestJson;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Hostile byte-level input: whatever the bytes, the answer is a document or MANIFEST_INVALID.</summary>
public sealed class ManifestParserEncodingTests
{
    [Fact]
    public void Trailing_whitespace_is_accepted()
    {
        var content = Bytes(OciManifest()).Concat("\n \r\n\t"u8.ToArray()).ToArray();

        Assert.Equal(MediaTypes.OciManifest, ManifestParser.Parse(content, null).MediaType);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("{}")]
    [InlineData("{\"layers\":[]}")]
    [InlineData(" []")]
    public void Data_after_the_document_is_refused(string trailer)
    {
        // Another parser might read the second value instead: refuse rather than disagree.
        var content = Bytes(OciManifest()).Concat(Encoding.UTF8.GetBytes(trailer)).ToArray();

        ManifestAssert.Invalid(content);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_refused()
    {
        var document = OciManifest();
        document["annotations"] = new System.Text.Json.Nodes.JsonObject { ["note"] = "XX" };
        var content = Bytes(document);
        var at = Array.IndexOf(content, (byte)'X');
        content[at] = 0xFF;
        content[at + 1] = 0xFE;

        ManifestAssert.Invalid(content);
    }

    [Theory]
    [InlineData("""{"note":"\ud800"}""")]
    [InlineData("""{"\udc00":"x"}""")]
    public void Lone_surrogate_escape_is_refused(string annotations)
    {
        var json = Encoding.UTF8.GetString(Bytes(OciManifest()));
        json = json[..^1] + ",\"annotations\":" + annotations + "}";

        ManifestAssert.Invalid(json);
    }

    [Fact]
    public void Lone_surrogate_in_a_top_level_string_is_refused()
    {
        var json = Encoding.UTF8.GetString(Bytes(OciManifest()));
        json = json[..^1] + ",\"artifactType\":\"x\\ud800\"}";

        ManifestAssert.Invalid(json);
    }

    [Fact]
    public void Byte_order_mark_is_refused()
    {
        var content = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Bytes(OciManifest())).ToArray();

        ManifestAssert.Invalid(content);
    }

    [Fact]
    public void Deeply_nested_json_is_refused()
    {
        var json = "{\"schemaVersion\":2,\"x\":" + new string('[', 64) + new string(']', 64) + "}";

        ManifestAssert.Invalid(json, messagePart: "depth");
    }

    [Fact]
    public void Nesting_within_the_limit_is_accepted()
    {
        var json = Encoding.UTF8.GetString(Bytes(OciManifest()));
        json = json[..^1] + ",\"x-nested\":" + new string('[', 20) + new string(']', 20) + "}";

        Assert.Equal(2, ManifestParser.Parse(Encoding.UTF8.GetBytes(json), null).Layers.Count);
    }

    [Fact]
    public void Escaped_unicode_in_annotations_round_trips()
    {
        var json = Encoding.UTF8.GetString(Bytes(OciManifest()));
        json = json[..^1] + ",\"annotations\":{\"title\":\"caf\\u00e9 \\ud83d\\ude00\"}}";

        Assert.Equal("caf\u00e9 \U0001F600", ManifestParser.Parse(Encoding.UTF8.GetBytes(json), null).Annotations!["title"]);
    }
}
