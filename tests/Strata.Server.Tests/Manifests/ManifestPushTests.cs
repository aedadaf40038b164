using System.Net;
using System.Text;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Manifests;

/// <summary>
/// end-7 (<c>PUT /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>) and end-3 for every manifest kind the
/// official suite generates: image, image without layers, large annotations, index, nested index,
/// empty index, artifact, artifact without layers, data field, custom fields, Docker schema 2
/// manifest and manifest list, sha512. Each push is checked the suite's way (201, Location serving
/// the same bytes, Docker-Content-Digest) and then pulled by tag and digest, byte for byte.
/// </summary>
public sealed class ManifestPushTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Oci_image_manifest_pushed_by_tag_is_served_by_tag_and_digest()
    {
        var repository = Names.Repository();
        var (body, _) = await PushImageBlobsAsync(repository);
        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.OciManifest);
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.CreatedAsync(Client, put, expected);
        await ManifestAssert.ServedAsync(Client, repository, tag, expected);
        await ManifestAssert.ServedAsync(Client, repository, expected.Digest, expected);
    }

    [Fact]
    public async Task Oci_image_manifest_pushed_by_digest_is_served_by_digest()
    {
        var repository = Names.Repository();
        var (body, _) = await PushImageBlobsAsync(repository);
        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.OciManifest);

        var put = await Client.PutManifestAsync(repository, expected.Digest, body, MediaTypes.OciManifest);

        await ManifestAssert.CreatedAsync(Client, put, expected);
        await ManifestAssert.ServedAsync(Client, repository, expected.Digest, expected);
    }

    [Fact]
    public async Task Manifest_is_stored_byte_for_byte_with_its_whitespace_and_key_order()
    {
        // "The registry MUST store the manifest in the exact byte representation provided by the client."
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(100);
        await Client.PushBlobsAsync(repository, config, layer);
        var text =
            "{\r\n    \"layers\" : [ {\"size\":" + layer.Size + ",\"digest\":\"" + layer.Digest + "\",\"mediaType\":\""
            + MediaTypes.OciLayerGzip + "\"} ],\n\t\"config\": {\"digest\": \"" + config.Digest + "\", \"size\": " + config.Size
            + ", \"mediaType\": \"" + MediaTypes.OciConfig + "\"},\n  \"mediaType\":\"" + MediaTypes.OciManifest
            + "\", \"schemaVersion\":2,\n  \"annotations\": {\"x\": \"caf\\u00e9 ☕\"}\n}\n\n";
        var body = Encoding.UTF8.GetBytes(text);
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
        await ManifestAssert.ServedAsync(Client, repository, pushed.Digest, pushed);
    }

    [Fact]
    public async Task Manifest_without_layers_is_accepted()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), []);
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.OciManifest);
        await ManifestAssert.CreatedAsync(Client, put, expected);
        await ManifestAssert.ServedAsync(Client, repository, tag, expected);
    }

    [Fact]
    public async Task Manifest_with_several_layers_and_uncompressed_layer_is_accepted()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layers = new[] { TestBlob.Random(300), TestBlob.Random(400), TestBlob.Random(500) };
        await Client.PushBlobsAsync(repository, [config, .. layers]);
        var body = ManifestJson.OciManifest(
            config.Describe(MediaTypes.OciConfig),
            [layers[0].Describe(MediaTypes.OciLayerGzip), layers[1].Describe(MediaTypes.OciLayerTar), layers[2].Describe(MediaTypes.OciLayerGzip)]);
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Oci_index_over_pushed_manifests_is_accepted()
    {
        var repository = Names.Repository();
        var amd64 = await Client.PushImageAsync(repository);
        var arm64 = await Client.PushImageAsync(repository);
        var body = ManifestJson.OciIndex(
        [
            amd64.Descriptor with { Platform = new Platform("linux", "amd64") },
            arm64.Descriptor with { Platform = new Platform("linux", "arm64") },
        ]);
        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.OciIndex);
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciIndex);

        await ManifestAssert.CreatedAsync(Client, put, expected);
        await ManifestAssert.ServedAsync(Client, repository, tag, expected);
        await ManifestAssert.ServedAsync(Client, repository, expected.Digest, expected);
        await ManifestAssert.ServedAsync(Client, repository, amd64.Digest, amd64);
    }

    [Fact]
    public async Task Index_of_indexes_is_accepted()
    {
        var repository = Names.Repository();
        var inner1 = await Client.PushIndexAsync(repository, [(await Client.PushImageAsync(repository)).Descriptor]);
        var inner2 = await Client.PushIndexAsync(repository, [(await Client.PushImageAsync(repository)).Descriptor]);
        var tag = Names.Tag();

        var outer = await Client.PushIndexAsync(repository, [inner1.Descriptor, inner2.Descriptor], tag);

        await ManifestAssert.ServedAsync(Client, repository, tag, outer);
        await ManifestAssert.ServedAsync(Client, repository, inner1.Digest, inner1);
    }

    [Fact]
    public async Task Empty_index_is_accepted()
    {
        var repository = Names.Repository();
        var tag = Names.Tag();

        var pushed = await Client.PushIndexAsync(repository, [], tag);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Artifact_manifest_with_empty_config_is_accepted()
    {
        var repository = Names.Repository();
        var tag = Names.Tag();

        var artifact = await Client.PushImageAsync(
            repository, tag, emptyConfig: true, artifactType: MediaTypes.ExampleArtifact1, layerMediaType: MediaTypes.ExampleArtifact1);

        await ManifestAssert.ServedAsync(Client, repository, tag, artifact);
        await ManifestAssert.ServedAsync(Client, repository, artifact.Digest, artifact);
    }

    [Fact]
    public async Task Artifact_manifest_whose_only_layer_is_the_empty_descriptor_is_accepted()
    {
        var repository = Names.Repository();
        var empty = TestBlob.EmptyJson();
        await Client.PushBlobAsync(repository, empty);
        var body = ManifestJson.OciManifest(
            empty.Describe(MediaTypes.OciEmpty), [empty.Describe(MediaTypes.OciEmpty)], artifactType: MediaTypes.ExampleArtifact1);
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Manifest_with_descriptor_data_field_is_accepted()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(64);
        await Client.PushBlobsAsync(repository, config, layer);
        var body = ManifestJson.OciManifest(
            config.Describe(MediaTypes.OciConfig) with { Data = Convert.ToBase64String(config.Content) },
            [layer.Describe(MediaTypes.OciLayerGzip) with { Data = Convert.ToBase64String(layer.Content) }]);
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Manifest_with_unknown_fields_is_accepted_and_kept()
    {
        // image-spec: implementations MUST NOT error on unknown properties (official "custom fields").
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [], extraFields: writer =>
        {
            writer.WriteStartObject("org.example.custom-" + Guid.NewGuid().ToString("N")[..8]);
            writer.WriteNumber("answer", 42);
            writer.WriteEndObject();
        });
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Manifest_with_many_annotations_of_almost_4_MB_is_accepted()
    {
        // The official "large-manifest" data: 390 annotations of 10,000 characters each.
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var annotations = Enumerable.Range(0, 390).ToDictionary(i => $"large-annotation-{i}", _ => new string('A', 10_000));
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [], annotations: annotations);
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Docker_schema2_manifest_is_accepted_and_served_with_its_media_type()
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(700);
        await Client.PushBlobsAsync(repository, config, layer);
        var body = ManifestJson.DockerManifest(config.Describe(MediaTypes.DockerConfig), [layer.Describe(MediaTypes.DockerLayerGzip)]);
        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.DockerManifest);
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.DockerManifest);

        await ManifestAssert.CreatedAsync(Client, put, expected);
        await ManifestAssert.ServedAsync(Client, repository, tag, expected);
        await ManifestAssert.ServedAsync(Client, repository, expected.Digest, expected);
    }

    [Fact]
    public async Task Docker_manifest_list_is_accepted_and_served_with_its_media_type()
    {
        var repository = Names.Repository();
        var children = new List<Descriptor>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var config = TestBlob.ImageConfig(architecture: architecture);
            var layer = TestBlob.Random(200);
            await Client.PushBlobsAsync(repository, config, layer);
            var manifest = ManifestJson.DockerManifest(config.Describe(MediaTypes.DockerConfig), [layer.Describe(MediaTypes.DockerLayerGzip)]);
            var child = await Client.PushManifestAsync(repository, Digests.Of(manifest), manifest, MediaTypes.DockerManifest);
            children.Add(child.Descriptor with { Platform = new Platform("linux", architecture) });
        }

        var body = ManifestJson.DockerManifestList(children);
        var expected = new PushedManifest(repository, body, Digests.Of(body), MediaTypes.DockerManifestList);
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.DockerManifestList);

        await ManifestAssert.CreatedAsync(Client, put, expected);
        await ManifestAssert.ServedAsync(Client, repository, tag, expected);
    }

    [Fact]
    public async Task Sha512_manifest_pushed_by_sha512_digest_is_served_by_it()
    {
        // Official "sha512" data: sha512 blobs and manifests, pushed by digest only.
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, algorithm: Digests.Sha512);

        await ManifestAssert.ServedAsync(Client, repository, image.Digest, image);
        var body = ManifestJson.OciIndex([image.Descriptor with { Platform = new Platform("linux", "amd64") }]);
        var index = await Client.PushManifestAsync(repository, Digests.Of(body, Digests.Sha512), body, MediaTypes.OciIndex);
        await ManifestAssert.ServedAsync(Client, repository, index.Digest, index);
    }

    [Fact]
    public async Task Content_type_parameters_on_push_are_ignored()
    {
        // "Registries SHOULD ignore any parameters" on the manifest Content-Type (RFC 7231 3.1.1.1).
        var repository = Names.Repository();
        var (body, _) = await PushImageBlobsAsync(repository);
        var tag = Names.Tag();

        var put = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest + "; charset=utf-8");

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        var get = await Client.GetManifestAsync(repository, tag);
        await HttpAssert.StatusAsync(get, HttpStatusCode.OK);
        Assert.Equal(MediaTypes.OciManifest, get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Pushing_the_same_manifest_twice_is_idempotent()
    {
        var repository = Names.Repository();
        var tag = Names.Tag();
        var image = await Client.PushImageAsync(repository, tag);

        var again = await Client.PutManifestAsync(repository, tag, image.Content, image.MediaType);

        await ManifestAssert.CreatedAsync(Client, again, image);
        await ManifestAssert.ServedAsync(Client, repository, tag, image);
    }

    [Fact]
    public async Task Pushing_another_manifest_to_a_tag_moves_the_tag()
    {
        var repository = Names.Repository();
        var tag = Names.Tag();
        var first = await Client.PushImageAsync(repository, tag);

        var second = await Client.PushImageAsync(repository, tag);

        await ManifestAssert.ServedAsync(Client, repository, tag, second);
        await ManifestAssert.ServedAsync(Client, repository, first.Digest, first);
    }

    [Fact]
    public async Task One_manifest_can_carry_several_tags()
    {
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "one");

        await Client.PushManifestAsync(repository, "two", image.Content, image.MediaType);

        await ManifestAssert.ServedAsync(Client, repository, "one", image);
        await ManifestAssert.ServedAsync(Client, repository, "two", image);
    }

    [Fact]
    public async Task Same_manifest_in_two_repositories_is_served_by_both()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var image = await Client.PushImageAsync(a, "x");
        await Client.PushBlobsAsync(b, [image.Config, .. image.Layers]);

        await Client.PushManifestAsync(b, "y", image.Content, image.MediaType);

        await ManifestAssert.ServedAsync(Client, b, "y", image with { Repository = b });
        await ManifestAssert.ServedAsync(Client, a, "x", image);
    }

    /// <summary>Pushes a config and a layer and returns an OCI manifest body referencing them.</summary>
    private async Task<(byte[] Body, IReadOnlyList<TestBlob> Blobs)> PushImageBlobsAsync(string repository)
    {
        var config = TestBlob.ImageConfig();
        var layer = TestBlob.Random(1000);
        await Client.PushBlobsAsync(repository, config, layer);
        return (ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [layer.Describe(MediaTypes.OciLayerGzip)]), [config, layer]);
    }
}
