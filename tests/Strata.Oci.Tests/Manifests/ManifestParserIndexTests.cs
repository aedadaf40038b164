using System.Text.Json.Nodes;
using Strata.Oci.Manifests;
using static Strata.Oci.Tests.Manifests.ManifestJson;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Indexes: OCI image index and Docker manifest list.</summary>
public sealed class ManifestParserIndexTests
{
    [Fact]
    public void Oci_index_yields_its_manifests_with_platforms()
    {
        var index = Parse(OciIndex(), MediaTypes.OciIndex);

        Assert.True(index.IsIndex);
        Assert.Null(index.Config);
        Assert.Empty(index.Layers);
        Assert.Empty(index.Blobs);
        Assert.Equal(2, index.Manifests.Count);
        Assert.Equal(new Platform("linux", "amd64"), index.Manifests[0].Platform);
        Assert.Equal(new Platform("linux", "arm64", "v8"), index.Manifests[1].Platform);
        Assert.Equal(7682, index.Manifests[1].Size);
    }

    [Fact]
    public void Referenced_manifest_digests_are_the_index_entries()
    {
        var index = Parse(OciIndex());

        Assert.Equal([DigestOf("amd64"), DigestOf("arm64")], index.ReferencedManifestDigests.Select(d => d.ToString()));
    }

    [Fact]
    public void Platform_keeps_os_version_and_prints_os_architecture_variant()
    {
        var document = OciIndex();
        var entry = WithPlatform(Descriptor(MediaTypes.OciManifest, "windows"), "windows", "amd64");
        entry["platform"]!["os.version"] = "10.0.17763.1040";
        entry["platform"]!["os.features"] = new JsonArray("win32k");
        document["manifests"]!.AsArray().Add(entry);

        var platform = Parse(document).Manifests[2].Platform!;

        Assert.Equal("10.0.17763.1040", platform.OsVersion);
        Assert.Equal("windows/amd64", platform.ToString());
        Assert.Equal("linux/arm64/v8", new Platform("linux", "arm64", "v8").ToString());
    }

    [Fact]
    public void Index_entry_without_platform_has_none()
    {
        var document = OciIndex();
        document["manifests"]!.AsArray().Add(Descriptor(MediaTypes.OciManifest, "attestation"));

        Assert.Null(Parse(document).Manifests[2].Platform);
    }

    [Fact]
    public void Docker_manifest_list_is_an_index()
    {
        var document = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.DockerManifestList,
            ["manifests"] = new JsonArray(WithPlatform(Descriptor(MediaTypes.DockerManifest, "amd64", 528), "linux", "amd64")),
        };

        var list = Parse(document, MediaTypes.DockerManifestList);

        Assert.Equal(MediaTypes.DockerManifestList, list.MediaType);
        Assert.True(list.IsIndex);
        Assert.Equal(MediaTypes.DockerManifest, list.Manifests[0].MediaType);
    }

    [Fact]
    public void Empty_index_is_accepted()
    {
        var document = OciIndex();
        document["manifests"] = new JsonArray();

        Assert.Empty(Parse(document).Manifests);
    }

    [Fact]
    public void Index_without_manifests_is_refused()
    {
        var document = OciIndex();
        document.Remove("manifests");

        ManifestAssert.Invalid(document, messagePart: "manifests");
    }

    [Fact]
    public void Index_keeps_annotations_artifact_type_and_subject()
    {
        var document = OciIndex();
        document["artifactType"] = "application/vnd.example.bundle";
        document["subject"] = Descriptor(MediaTypes.OciIndex, "subject");
        document["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "v1" };

        var index = Parse(document);

        Assert.Equal("application/vnd.example.bundle", index.EffectiveArtifactType);
        Assert.Equal(DigestOf("subject"), index.Subject!.Digest.ToString());
        Assert.Equal("v1", index.Annotations!["org.opencontainers.image.ref.name"]);
    }

    [Fact]
    public void Index_without_media_type_is_inferred_from_its_manifests_array()
    {
        var document = OciIndex();
        document.Remove("mediaType");

        Assert.Equal(MediaTypes.OciIndex, Parse(document).MediaType);
    }

    [Fact]
    public void Platform_that_is_not_an_object_is_refused()
    {
        var document = OciIndex();
        document["manifests"]![0]!["platform"] = "linux/amd64";

        ManifestAssert.Invalid(document, messagePart: "platform");
    }
}
