using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Manifests;

/// <summary>
/// end-7b (1.1+dev): <c>PUT /v2/&lt;name&gt;/manifests/&lt;digest&gt;?tag=a&amp;tag=b</c> pushes by digest and
/// tags in one request; the registry answers with an <c>OCI-Tag</c> header per accepted tag (official
/// "tag-param-sha256" / "tag-param-sha512", which read every OCI-Tag line and also split on commas).
/// </summary>
public sealed class ManifestTagParameterTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Put_by_digest_with_two_tag_parameters_returns_an_OCI_Tag_per_tag_and_both_resolve()
    {
        var repository = Names.Repository();
        var (body, digest) = await ImageBodyAsync(repository, Digests.Sha256);
        var expected = new PushedManifest(repository, body, digest, MediaTypes.OciManifest);

        var put = await Client.PutManifestAsync(repository, digest, body, MediaTypes.OciManifest, "tag=first&tag=second");

        await ManifestAssert.CreatedAsync(Client, put, expected);
        Assert.Equal(["first", "second"], OciTags(put).Order(StringComparer.Ordinal));
        await ManifestAssert.ServedAsync(Client, repository, "first", expected);
        await ManifestAssert.ServedAsync(Client, repository, "second", expected);
        var tags = await JsonBody.TagsAsync(await Client.ListTagsAsync(repository), repository);
        Assert.Equal(["first", "second"], tags);
    }

    [Fact]
    public async Task Each_tag_gets_its_own_OCI_Tag_header_line()
    {
        // The brief for Strata: one header line per tag (the suite would also take a comma list).
        var repository = Names.Repository();
        var (body, digest) = await ImageBodyAsync(repository, Digests.Sha256);

        var put = await Client.PutManifestAsync(repository, digest, body, MediaTypes.OciManifest, "tag=a1&tag=b2&tag=c3");

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(["a1", "b2", "c3"], HttpAssert.HeaderValues(put, "OCI-Tag").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Single_tag_parameter_tags_the_manifest()
    {
        var repository = Names.Repository();
        var (body, digest) = await ImageBodyAsync(repository, Digests.Sha256);

        var put = await Client.PutManifestAsync(repository, digest, body, MediaTypes.OciManifest, "tag=only");

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        Assert.Equal(["only"], OciTags(put));
        await ManifestAssert.ServedAsync(Client, repository, "only", new PushedManifest(repository, body, digest, MediaTypes.OciManifest));
    }

    [Fact]
    public async Task Tag_parameters_work_for_a_sha512_manifest()
    {
        // Official "tag-param-sha512": "non-canonical digests require tag parameters to push tags".
        var repository = Names.Repository();
        var (body, digest) = await ImageBodyAsync(repository, Digests.Sha512);
        var expected = new PushedManifest(repository, body, digest, MediaTypes.OciManifest);

        var put = await Client.PutManifestAsync(repository, digest, body, MediaTypes.OciManifest, "tag=sha512-a&tag=sha512-b");

        await ManifestAssert.CreatedAsync(Client, put, expected);
        Assert.Equal(["sha512-a", "sha512-b"], OciTags(put).Order(StringComparer.Ordinal));
        await ManifestAssert.ServedAsync(Client, repository, "sha512-a", expected);
        await ManifestAssert.ServedAsync(Client, repository, "sha512-b", expected);
    }

    [Fact]
    public async Task Tag_parameter_moves_an_existing_tag()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "moving");
        var (body, digest) = await ImageBodyAsync(repository, Digests.Sha256);

        var put = await Client.PutManifestAsync(repository, digest, body, MediaTypes.OciManifest, "tag=moving");

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await ManifestAssert.ServedAsync(Client, repository, "moving", new PushedManifest(repository, body, digest, MediaTypes.OciManifest));
    }

    [Fact]
    public async Task Invalid_tag_parameter_is_rejected_and_nothing_is_stored()
    {
        var repository = Names.Repository();
        var (body, digest) = await ImageBodyAsync(repository, Digests.Sha256);

        var put = await Client.PutManifestAsync(repository, digest, body, MediaTypes.OciManifest, "tag=good&tag=-bad");

        await HttpAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "TAG_INVALID", "MANIFEST_INVALID");
        await ManifestAssert.AbsentAsync(Client, repository, "good");
        await ManifestAssert.AbsentAsync(Client, repository, digest);
    }

    private async Task<(byte[] Body, string Digest)> ImageBodyAsync(string repository, string algorithm)
    {
        var config = TestBlob.ImageConfig(algorithm: algorithm);
        var layer = TestBlob.Random(256, algorithm);
        await Client.PushBlobsAsync(repository, config, layer);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [layer.Describe(MediaTypes.OciLayerGzip)]);
        return (body, Digests.Of(body, algorithm));
    }

    /// <summary>Every tag named in OCI-Tag headers, whether one per line or comma-separated.</summary>
    private static IReadOnlyList<string> OciTags(HttpResponseMessage response) =>
        [.. HttpAssert.HeaderValues(response, "OCI-Tag").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
}
