using Strata.Oci.Manifests;
using static Strata.Oci.Tests.Manifests.ManifestJson;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Which media type a manifest gets: its own field, the Content-Type, or inference.</summary>
public sealed class ManifestParserMediaTypeTests
{
    [Fact]
    public void Media_type_comes_from_the_content_type_when_the_document_has_none()
    {
        var document = DockerManifest();
        document.Remove("mediaType");

        Assert.Equal(MediaTypes.DockerManifest, Parse(document, MediaTypes.DockerManifest).MediaType);
    }

    [Fact]
    public void Media_type_is_inferred_as_oci_manifest_without_field_or_content_type()
    {
        var document = OciManifest();
        document.Remove("mediaType");

        Assert.Equal(MediaTypes.OciManifest, Parse(document).MediaType);
    }

    [Fact]
    public void Generic_content_type_does_not_override_the_document()
    {
        Assert.Equal(MediaTypes.OciManifest, Parse(OciManifest(), "application/json").MediaType);
    }

    [Fact]
    public void Content_type_parameters_and_case_are_ignored()
    {
        var manifest = Parse(OciManifest(), " Application/VND.OCI.Image.Manifest.v1+JSON ; charset=utf-8");

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
    }

    [Fact]
    public void Media_type_that_disagrees_with_the_content_type_is_refused()
    {
        ManifestAssert.Invalid(OciManifest(), MediaTypes.DockerManifest, "does not match");
    }

    [Fact]
    public void Index_pushed_with_a_manifest_content_type_is_refused()
    {
        ManifestAssert.Invalid(OciIndex(), MediaTypes.OciManifest, "does not match");
    }

    [Fact]
    public void Document_shaped_like_nothing_known_is_refused()
    {
        ManifestAssert.Invalid("""{"schemaVersion":2}""", messagePart: "unsupported");
    }

    [Fact]
    public void Unknown_media_type_in_the_document_is_refused()
    {
        var document = OciManifest();
        document["mediaType"] = "application/vnd.example.thing+json";

        ManifestAssert.Invalid(document, messagePart: "unsupported");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("application/json", "application/json")]
    [InlineData("Application/JSON; charset=UTF-8", "application/json")]
    [InlineData(" text/plain ;q=1", "text/plain")]
    public void Normalize_content_type_strips_parameters_whitespace_and_case(string? header, string? expected)
    {
        Assert.Equal(expected, ManifestParser.NormalizeContentType(header));
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex, true, false)]
    [InlineData(MediaTypes.DockerManifestList, true, false)]
    [InlineData(MediaTypes.OciManifest, false, true)]
    [InlineData(MediaTypes.DockerManifest, false, true)]
    [InlineData(MediaTypes.DockerSchema1, false, false)]
    [InlineData(MediaTypes.OciConfig, false, false)]
    public void Media_type_classification(string mediaType, bool isIndex, bool isImage)
    {
        Assert.Equal(isIndex, MediaTypes.IsIndex(mediaType));
        Assert.Equal(isImage, MediaTypes.IsImageManifest(mediaType));
        Assert.Equal(isIndex || isImage, MediaTypes.IsManifest(mediaType));
    }
}
