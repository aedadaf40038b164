using System.Text.Json.Nodes;
using Strata.Oci.Digests;
using Strata.Oci.Manifests;
using static Strata.Oci.Tests.Manifests.ManifestJson;

namespace Strata.Oci.Tests.Manifests;

/// <summary>Image manifests: OCI, Docker schema 2, and artifacts.</summary>
public sealed class ManifestParserImageTests
{
    [Fact]
    public void Oci_manifest_yields_config_and_layers_in_order()
    {
        var manifest = Parse(OciManifest(), MediaTypes.OciManifest);

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal(MediaTypes.OciConfig, manifest.Config!.MediaType);
        Assert.Equal(DigestOf("config"), manifest.Config.Digest.ToString());
        Assert.Equal(1469, manifest.Config.Size);
        Assert.Equal([DigestOf("layer-1"), DigestOf("layer-2")], manifest.Layers.Select(l => l.Digest.ToString()));
        Assert.Equal([MediaTypes.OciLayerGzip, MediaTypes.OciLayerZstd], manifest.Layers.Select(l => l.MediaType));
        Assert.Equal([3_000_000L, 42L], manifest.Layers.Select(l => l.Size));
        Assert.Empty(manifest.Manifests);
        Assert.Null(manifest.Subject);
        Assert.Null(manifest.Annotations);
    }

    [Fact]
    public void Blobs_of_an_image_are_the_config_then_the_layers()
    {
        var manifest = Parse(OciManifest());

        Assert.Equal([DigestOf("config"), DigestOf("layer-1"), DigestOf("layer-2")], manifest.Blobs.Select(b => b.Digest.ToString()));
        Assert.Empty(manifest.ReferencedManifestDigests);
    }

    [Fact]
    public void Docker_schema2_manifest_is_accepted()
    {
        var manifest = Parse(DockerManifest(), MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config!.MediaType);
        Assert.Single(manifest.Layers);
        Assert.Equal(MediaTypes.DockerConfig, manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Docker_schema2_manifest_without_layers_is_refused()
    {
        var document = DockerManifest();
        document.Remove("layers");

        ManifestAssert.Invalid(document, MediaTypes.DockerManifest, "layers");
    }

    [Fact]
    public void Oci_manifest_without_layers_is_accepted_as_an_artifact()
    {
        var document = OciManifest();
        document.Remove("layers");

        Assert.Empty(Parse(document).Layers);
    }

    [Fact]
    public void Artifact_manifest_keeps_artifact_type_and_subject()
    {
        var document = OciManifest();
        document["artifactType"] = "application/vnd.example.sbom.v1+json";
        document["config"] = Descriptor(MediaTypes.OciEmpty, "{}", 2);
        document["subject"] = Descriptor(MediaTypes.OciManifest, "subject-image", 1234);

        var manifest = Parse(document);

        Assert.Equal("application/vnd.example.sbom.v1+json", manifest.ArtifactType);
        Assert.Equal("application/vnd.example.sbom.v1+json", manifest.EffectiveArtifactType);
        Assert.Equal(MediaTypes.OciManifest, manifest.Subject!.MediaType);
        Assert.Equal(DigestOf("subject-image"), manifest.Subject.Digest.ToString());
        Assert.Equal(1234, manifest.Subject.Size);
    }

    [Fact]
    public void Artifact_type_defaults_to_the_config_media_type()
    {
        var document = OciManifest();
        document["config"] = Descriptor("application/vnd.example.config.v1+json", "config");

        var manifest = Parse(document);

        Assert.Null(manifest.ArtifactType);
        Assert.Equal("application/vnd.example.config.v1+json", manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Null_subject_means_no_subject()
    {
        var document = OciManifest();
        document["subject"] = null;

        Assert.Null(Parse(document).Subject);
    }

    [Fact]
    public void Annotations_of_manifest_and_descriptors_are_kept()
    {
        var document = OciManifest();
        document["annotations"] = new JsonObject
        {
            ["org.opencontainers.image.created"] = "2026-11-28T00:00:00Z",
            ["org.opencontainers.image.source"] = "https://gitlab.cern.ch/x",
        };
        document["layers"]![0]!["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = "rootfs.tar.gz" };

        var manifest = Parse(document);

        Assert.Equal("2026-11-28T00:00:00Z", manifest.Annotations!["org.opencontainers.image.created"]);
        Assert.Equal(2, manifest.Annotations.Count);
        Assert.Equal("rootfs.tar.gz", manifest.Layers[0].Annotations!["org.opencontainers.image.title"]);
        Assert.Null(manifest.Layers[1].Annotations);
    }

    [Fact]
    public void Descriptor_artifact_type_is_kept()
    {
        var document = OciManifest();
        document["layers"]![1]!["artifactType"] = "application/vnd.example.part";

        var manifest = Parse(document);

        Assert.Equal("application/vnd.example.part", manifest.Layers[1].ArtifactType);
        Assert.Null(manifest.Layers[0].ArtifactType);
    }

    [Fact]
    public void Zero_size_descriptor_is_accepted()
    {
        var document = OciManifest();
        document["layers"]![0]!["size"] = 0;

        Assert.Equal(0, Parse(document).Layers[0].Size);
    }

    [Fact]
    public void Sha512_descriptor_digest_is_accepted()
    {
        var document = OciManifest();
        var digest = Digest.Compute(DigestAlgorithm.Sha512, "layer"u8).ToString();
        document["layers"]![0]!["digest"] = digest;

        Assert.Equal(digest, Parse(document).Layers[0].Digest.ToString());
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var document = OciManifest();
        document["x-vendor"] = new JsonObject { ["anything"] = new JsonArray(1, 2, 3) };
        document["layers"]![0]!["urls"] = new JsonArray("https://example.invalid/layer");

        Assert.Equal(2, Parse(document).Layers.Count);
    }
}
