using System.Net;
using System.Text;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Manifests;

/// <summary>
/// What a manifest PUT must refuse, and that a refused PUT changes nothing: digest mismatch
/// (DIGEST_INVALID, official "bad-digest-image" and "invalid-digest-format"), references to content
/// the repository lacks (MANIFEST_BLOB_UNKNOWN, code-5; "a registry MAY reject a manifest if it
/// references blobs that are not yet uploaded" — Strata does, except for <c>subject</c>, which "MUST"
/// be accepted when missing), malformed documents and schema 1 (MANIFEST_INVALID, code-6).
/// </summary>
public sealed class ManifestValidationTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Put_by_digest_whose_body_does_not_match_returns_400_DIGEST_INVALID()
    {
        // Official "bad-digest-image": the manifest's digest, with two spaces appended to the body.
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), []);
        var digest = Digests.Of(body);
        byte[] sent = [.. body, .. "  "u8.ToArray()];

        var response = await Client.PutManifestAsync(repository, digest, sent, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ManifestAssert.AbsentAsync(Client, repository, digest);
        await ManifestAssert.AbsentAsync(Client, repository, Digests.Of(sent));
    }

    [Fact]
    public async Task Put_to_malformed_digest_reference_returns_400_DIGEST_INVALID()
    {
        // Official "invalid-digest-format / manifest-put" to "sha256:baddigeststring" expects 400.
        // A reference with ':' cannot be a tag, so it is a (malformed) digest: DIGEST_INVALID.
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), []);

        var response = await Client.PutManifestAsync(repository, "sha256:baddigeststring", body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await ManifestAssert.AbsentAsync(Client, repository, Digests.Of(body));
    }

    [Fact]
    public async Task Manifest_with_missing_layer_returns_MANIFEST_BLOB_UNKNOWN_and_stores_nothing()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var pushed = TestBlob.Random(100);
        var missing = TestBlob.Random(100);
        await Client.PushBlobsAsync(repository, config, pushed);
        var body = ManifestJson.OciManifest(
            config.Describe(MediaTypes.OciConfig), [pushed.Describe(MediaTypes.OciLayerGzip), missing.Describe(MediaTypes.OciLayerGzip)]);
        var tag = Names.Tag();

        var response = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await ManifestAssert.AbsentAsync(Client, repository, tag);
        await ManifestAssert.AbsentAsync(Client, repository, Digests.Of(body));
    }

    [Fact]
    public async Task Manifest_with_missing_config_returns_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(100);
        await Client.PushBlobAsync(repository, layer);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [layer.Describe(MediaTypes.OciLayerGzip)]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Manifest_whose_layer_exists_only_in_another_repository_returns_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var elsewhere = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(100);
        await Client.PushBlobAsync(repository, config);
        await Client.PushBlobAsync(elsewhere, layer);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [layer.Describe(MediaTypes.OciLayerGzip)]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Manifest_over_a_deleted_blob_returns_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(100);
        await Client.PushBlobsAsync(repository, config, layer);
        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(repository, layer.Digest), HttpStatusCode.Accepted);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [layer.Describe(MediaTypes.OciLayerGzip)]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Index_whose_child_exists_only_in_another_repository_returns_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var elsewhere = await Client.PushImageAsync(Names.Repository());
        var body = ManifestJson.OciIndex([elsewhere.Descriptor with { Platform = new Platform("linux", "amd64") }]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciIndex);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Docker_manifest_with_missing_layer_returns_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.DockerManifest(config.Describe(MediaTypes.DockerConfig), [TestBlob.Random(10).Describe(MediaTypes.DockerLayerGzip)]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.DockerManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Index_referencing_a_missing_manifest_returns_MANIFEST_BLOB_UNKNOWN_and_stores_nothing()
    {
        var repository = Names.Repository();
        var present = await Client.PushImageAsync(repository);
        var missing = new Descriptor(MediaTypes.OciManifest, Digests.Unknown(), 1024) { Platform = new Platform("linux", "arm64") };
        var body = ManifestJson.OciIndex([present.Descriptor with { Platform = new Platform("linux", "amd64") }, missing]);
        var tag = Names.Tag();

        var response = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciIndex);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await ManifestAssert.AbsentAsync(Client, repository, tag);
    }

    [Fact]
    public async Task Docker_manifest_list_referencing_a_missing_manifest_returns_MANIFEST_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        var missing = new Descriptor(MediaTypes.DockerManifest, Digests.Unknown(), 512) { Platform = new Platform("linux", "amd64") };
        var body = ManifestJson.DockerManifestList([missing]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.DockerManifestList);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Manifest_with_missing_subject_is_accepted_with_OCI_Subject_header()
    {
        // "the registry MUST accept the manifest even when the subject does not exist" (official "missing-subject").
        var repository = Names.Repository();
        var subject = new Descriptor(MediaTypes.OciManifest, Digests.Of("missing content"u8), 123);
        var empty = TestBlob.EmptyJson();
        var layer = TestBlob.Random(50);
        await Client.PushBlobsAsync(repository, empty, layer);
        var body = ManifestJson.OciManifest(
            empty.Describe(MediaTypes.OciEmpty),
            [layer.Describe(MediaTypes.ExampleArtifact1)],
            subject,
            MediaTypes.ExampleArtifact1,
            new Dictionary<string, string> { ["org.opencontainers.conformance"] = "hello conformance test" });
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.OciManifest);
        await ManifestAssert.CreatedAsync(Client, put, expected);
        await HttpAssert.HeaderEqualAsync(put, "OCI-Subject", subject.Digest);
        await ManifestAssert.ServedAsync(Client, repository, tag, expected);
    }

    [Fact]
    public async Task Manifest_with_existing_subject_returns_OCI_Subject_header()
    {
        var repository = Names.Repository();
        var subject = await Client.PushImageAsync(repository, "subject");
        var empty = TestBlob.EmptyJson();
        await Client.PushBlobAsync(repository, empty);
        var body = ManifestJson.OciManifest(empty.Describe(MediaTypes.OciEmpty), [empty.Describe(MediaTypes.OciEmpty)], subject.Descriptor, MediaTypes.ExampleArtifact1);

        var put = await Client.PutManifestAsync(repository, Digests.Of(body), body, MediaTypes.OciManifest);

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(put, "OCI-Subject", subject.Digest);
    }

    [Fact]
    public async Task Index_with_subject_returns_OCI_Subject_header()
    {
        var repository = Names.Repository();
        var subject = await Client.PushIndexAsync(repository, [(await Client.PushImageAsync(repository)).Descriptor], "index");
        var child = await Client.PushImageAsync(repository);
        var body = ManifestJson.OciIndex([child.Descriptor], subject.Descriptor, MediaTypes.ExampleArtifact1);

        var put = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciIndex);

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(put, "OCI-Subject", subject.Digest);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""")]
    [InlineData("""{"schemaVersion":3,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""")]
    [InlineData("""{"schemaVersion":"2","mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2},"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":{}}""")]
    public async Task Malformed_manifest_returns_400_MANIFEST_INVALID(string text)
    {
        var repository = Names.Repository();
        await Client.PushBlobAsync(repository, TestBlob.EmptyJson());
        var tag = Names.Tag();

        var response = await Client.PutManifestAsync(repository, tag, Encoding.UTF8.GetBytes(text), MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await ManifestAssert.AbsentAsync(Client, repository, tag);
    }

    [Fact]
    public async Task Index_with_malformed_entries_returns_400_MANIFEST_INVALID()
    {
        var repository = Names.Repository();
        var body = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":10}]}"""u8.ToArray();

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciIndex);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Manifest_with_malformed_descriptor_digest_is_rejected_with_400()
    {
        // code-4 DIGEST_INVALID "MAY also be returned when a manifest includes an invalid layer digest".
        var repository = Names.Repository();
        var config = TestBlob.EmptyJson();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.OciManifest(
            config.Describe(MediaTypes.OciEmpty), [new Descriptor(MediaTypes.OciLayerGzip, "sha256:not-a-digest", 10)]);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID", "DIGEST_INVALID");
    }

    [Theory]
    [InlineData(MediaTypes.DockerSchema1Signed)]
    [InlineData(MediaTypes.DockerSchema1)]
    public async Task Schema1_manifest_returns_400_MANIFEST_INVALID(string mediaType)
    {
        // Schema 1 is deprecated (distribution docs/spec/deprecated-schema-v1.md); Strata refuses it.
        var repository = Names.Repository();
        var layer = TestBlob.Random(10);
        await Client.PushBlobAsync(repository, layer);
        var tag = Names.Tag();
        var body = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":1,\"name\":\"" + repository + "\",\"tag\":\"" + tag + "\",\"architecture\":\"amd64\","
            + "\"fsLayers\":[{\"blobSum\":\"" + layer.Digest + "\"}],\"history\":[{\"v1Compatibility\":\"{\\\"id\\\":\\\"x\\\"}\"}],"
            + "\"signatures\":[]}");

        var response = await Client.PutManifestAsync(repository, tag, body, mediaType);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
        await ManifestAssert.AbsentAsync(Client, repository, tag);
    }

    [Fact]
    public async Task Schema_version_1_body_under_an_oci_content_type_returns_400_MANIFEST_INVALID()
    {
        var repository = Names.Repository();
        var body = """{"schemaVersion":1,"name":"x","tag":"y","architecture":"amd64","fsLayers":[],"history":[]}"""u8.ToArray();

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task Rejected_push_leaves_an_existing_tag_unchanged()
    {
        var repository = Names.Repository();
        var tag = Names.Tag();
        var original = await Client.PushImageAsync(repository, tag);
        var body = ManifestJson.OciManifest(original.Config.Describe(MediaTypes.OciConfig), [TestBlob.Random(10).Describe(MediaTypes.OciLayerGzip)]);

        var response = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
        await ManifestAssert.ServedAsync(Client, repository, tag, original);
    }
}
