using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Manifests;

/// <summary>
/// end-3 failure paths: "If the manifest is not found in the registry, the response code MUST be 404"
/// (code-7 MANIFEST_UNKNOWN), and manifests, like blobs, belong to their repository.
/// </summary>
public sealed class ManifestPullTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Get_unknown_tag_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "exists");

        var response = await Client.GetManifestAsync(repository, "missing-" + Guid.NewGuid().ToString("N")[..20]);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Get_unknown_digest_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "exists");

        var response = await Client.GetManifestAsync(repository, Digests.Unknown());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Head_unknown_manifest_returns_404_without_body()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "exists");

        var byTag = await Client.HeadManifestAsync(repository, "missing");
        var byDigest = await Client.HeadManifestAsync(repository, Digests.Unknown());

        await HttpAssert.StatusAsync(byTag, HttpStatusCode.NotFound);
        Assert.Empty(await byTag.Content.ReadAsByteArrayAsync());
        await HttpAssert.StatusAsync(byDigest, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_manifest_in_unknown_repository_returns_404()
    {
        var response = await Client.GetManifestAsync(Names.Repository(), "latest");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN", "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Get_manifest_by_malformed_digest_returns_400_or_404()
    {
        // Official suite "invalid-digest-format / manifest-get": 404 or 400.
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "exists");

        var response = await Client.GetManifestAsync(repository, "sha256:baddigeststring");

        await HttpAssert.StatusAsync(response, HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        await HttpAssert.ErrorAsync(response, response.StatusCode, "MANIFEST_UNKNOWN", "DIGEST_INVALID");
    }

    [Fact]
    public async Task Manifest_of_one_repository_is_not_served_by_another()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        await Client.PushImageAsync(b, "other");
        var image = await Client.PushImageAsync(a, "latest");

        await ManifestAssert.AbsentAsync(Client, b, image.Digest);
        await ManifestAssert.AbsentAsync(Client, b, "latest");
    }

    [Fact]
    public async Task Tags_are_case_sensitive()
    {
        var repository = Names.Repository();
        var lower = await Client.PushImageAsync(repository, "release");
        var upper = await Client.PushImageAsync(repository, "RELEASE");

        await ManifestAssert.ServedAsync(Client, repository, "release", lower);
        await ManifestAssert.ServedAsync(Client, repository, "RELEASE", upper);
    }

    [Fact]
    public async Task Get_manifest_by_tag_returns_the_digest_of_the_tagged_manifest()
    {
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "v1");

        var response = await Client.GetManifestAsync(repository, "v1");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", image.Digest);
        Assert.Equal(image.Digest, Digests.Of(await response.Content.ReadAsByteArrayAsync()));
    }
}
