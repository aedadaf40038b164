using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Manifests;

/// <summary>
/// end-9 ("Deleting tags", "Deleting Manifests"): 202, and the deletion is visible at once (official
/// "tag delete atomic" / "manifest delete atomic": HEAD answers 404 right after).
/// </summary>
public sealed class ManifestDeleteTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Delete_by_digest_returns_202_and_removes_the_manifest_and_its_tags()
    {
        // "Once deleted, a GET to /v2/<name>/manifests/<digest> and any tag pointing to that digest will return a 404."
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "one");
        await Client.PushManifestAsync(repository, "two", image.Content, image.MediaType);
        var other = await Client.PushImageAsync(repository, "kept");

        var response = await Client.DeleteManifestAsync(repository, image.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        await ManifestAssert.AbsentAsync(Client, repository, image.Digest);
        await ManifestAssert.AbsentAsync(Client, repository, "one");
        await ManifestAssert.AbsentAsync(Client, repository, "two");
        var tags = await JsonBody.TagsAsync(await Client.ListTagsAsync(repository), repository);
        Assert.Equal(["kept"], tags);
        await ManifestAssert.ServedAsync(Client, repository, "kept", other);
    }

    [Fact]
    public async Task Delete_by_tag_removes_only_the_tag()
    {
        // "Deleting tags … Once deleted, a GET to /v2/<name>/manifests/<tag> will return a 404";
        // the manifest itself stays, by digest and under its other tags.
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "removed");
        await Client.PushManifestAsync(repository, "remaining", image.Content, image.MediaType);

        var response = await Client.DeleteManifestAsync(repository, "removed");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        await ManifestAssert.AbsentAsync(Client, repository, "removed");
        await ManifestAssert.ServedAsync(Client, repository, image.Digest, image);
        await ManifestAssert.ServedAsync(Client, repository, "remaining", image);
        var tags = await JsonBody.TagsAsync(await Client.ListTagsAsync(repository), repository);
        Assert.Equal(["remaining"], tags);
    }

    [Fact]
    public async Task Delete_unknown_digest_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "exists");

        var response = await Client.DeleteManifestAsync(repository, Digests.Unknown());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Delete_unknown_tag_returns_404_MANIFEST_UNKNOWN()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "exists");

        var response = await Client.DeleteManifestAsync(repository, "missing");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Delete_in_unknown_repository_returns_404()
    {
        // "If the repository does not exist, the response MUST return 404 Not Found."
        var response = await Client.DeleteManifestAsync(Names.Repository(), Digests.Unknown());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN", "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Delete_by_digest_twice_returns_404_the_second_time()
    {
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "x");
        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(repository, image.Digest), HttpStatusCode.Accepted);

        var again = await Client.DeleteManifestAsync(repository, image.Digest);

        await HttpAssert.ErrorAsync(again, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task Deleting_a_manifest_keeps_its_blobs()
    {
        // Blob removal is garbage collection's job, never a side effect of a manifest delete.
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "x");

        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(repository, image.Digest), HttpStatusCode.Accepted);

        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, image.Config.Digest), HttpStatusCode.OK);
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, image.Layers[0].Digest), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deleted_manifest_can_be_pushed_again()
    {
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, "x");
        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(repository, image.Digest), HttpStatusCode.Accepted);

        await Client.PushManifestAsync(repository, "x", image.Content, image.MediaType);

        await ManifestAssert.ServedAsync(Client, repository, "x", image);
    }

    [Fact]
    public async Task Delete_leaves_the_same_manifest_in_other_repositories()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var image = await Client.PushImageAsync(a, "x");
        await Client.PushBlobsAsync(b, [image.Config, .. image.Layers]);
        await Client.PushManifestAsync(b, "x", image.Content, image.MediaType);

        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(a, image.Digest), HttpStatusCode.Accepted);

        await ManifestAssert.ServedAsync(Client, b, image.Digest, image with { Repository = b });
    }

    [Fact]
    public async Task Delete_sha512_manifest_by_digest_returns_202()
    {
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository, algorithm: Digests.Sha512);

        var response = await Client.DeleteManifestAsync(repository, image.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        await ManifestAssert.AbsentAsync(Client, repository, image.Digest);
    }
}
