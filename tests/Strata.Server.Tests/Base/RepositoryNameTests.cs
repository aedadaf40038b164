using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Base;

/// <summary>
/// <c>&lt;name&gt;</c> rules ("Pulling manifests": <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>,
/// host + name kept to 255 characters) and code-8 NAME_INVALID. Names contain slashes, so the
/// registry must also tell a repository called <c>…/blobs</c> or <c>…/manifests</c> from the API path.
/// </summary>
public sealed class RepositoryNameTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    public static TheoryData<string> InvalidNames() =>
    [
        "Upper/case",
        "UPPER",
        "a//b",
        "-a",
        "a-",
        "a.",
        ".a",
        "a..b",
        "a___b",
        "a_-b",
        "a/-b",
        "a/b_",
        "a%21b",
        new string('a', 256),
    ];

    public static TheoryData<string> TrickyValidNames() =>
    [
        "x/blobs",
        "x/manifests",
        "x/tags",
        "x/tags/list",
        "x/referrers",
        "x/blobs/uploads",
        "blobs/uploads/x",
        "manifests/a/manifests",
        "v2",
        "a.b_c__d-e---f",
        "0/1/2/3/4/5/6/7/8/9",
    ];

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Upload_to_invalid_name_returns_400_NAME_INVALID(string name)
    {
        var response = await Client.PostUploadAsync(name);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Manifest_put_to_invalid_name_returns_400_NAME_INVALID(string name)
    {
        var body = ManifestJson.OciManifest(TestBlob.EmptyJson().Describe(MediaTypes.OciEmpty), []);

        var response = await Client.PutManifestAsync(name, "latest", body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Reads_of_invalid_names_return_400_NAME_INVALID(string name)
    {
        await HttpAssert.ErrorAsync(await Client.GetManifestAsync(name, "latest"), HttpStatusCode.BadRequest, "NAME_INVALID");
        await HttpAssert.ErrorAsync(await Client.GetBlobAsync(name, Digests.Unknown()), HttpStatusCode.BadRequest, "NAME_INVALID");
        await HttpAssert.ErrorAsync(await Client.ListTagsAsync(name), HttpStatusCode.BadRequest, "NAME_INVALID");
        await HttpAssert.ErrorAsync(await Client.ReferrersAsync(name, Digests.Unknown()), HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task Name_of_255_characters_is_accepted()
    {
        var name = string.Join('/', Enumerable.Repeat(new string('n', 50), 4)) + "/" + new string('m', 51);
        Assert.Equal(255, name.Length);

        var image = await Client.PushImageAsync(name, "t");

        await ManifestAssert.ServedAsync(Client, name, "t", image);
    }

    [Fact]
    public async Task Name_with_many_components_works_for_every_endpoint()
    {
        var name = $"a/b/c/d/e{Guid.NewGuid():N}";
        await AssertWholeApiWorksAsync(name);
    }

    [Theory]
    [MemberData(nameof(TrickyValidNames))]
    public async Task Names_that_look_like_api_paths_work_for_every_endpoint(string suffix)
    {
        // Each theory row gets its own top-level component so rows do not share a repository.
        await AssertWholeApiWorksAsync($"n{Guid.NewGuid():N}/{suffix}");
    }

    [Fact]
    public async Task Name_that_is_a_prefix_of_another_is_a_different_repository()
    {
        var parent = Names.Repository();
        var child = parent + "/child";
        var inParent = await Client.PushImageAsync(parent, "t");
        var inChild = await Client.PushImageAsync(child, "t");

        await ManifestAssert.ServedAsync(Client, parent, "t", inParent);
        await ManifestAssert.ServedAsync(Client, child, "t", inChild);
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(parent, inChild.Layers[0].Digest), HttpStatusCode.NotFound);
    }

    private async Task AssertWholeApiWorksAsync(string name)
    {
        // Chunked upload, status and cancel.
        var session = await Client.StartUploadAsync(name);
        var patch = await Client.PatchAsync(session.Location, new byte[10], 0);
        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await Client.UploadStatusAsync(RegistryClient.Location(patch)), HttpStatusCode.NoContent);
        await HttpAssert.StatusAsync(await Client.CancelUploadAsync(RegistryClient.Location(patch)), HttpStatusCode.NoContent);

        // Push, pull, list, referrers, delete.
        var image = await Client.PushImageAsync(name, "t");
        await ManifestAssert.ServedAsync(Client, name, "t", image);
        await ManifestAssert.ServedAsync(Client, name, image.Digest, image);
        var blob = await Client.GetBlobAsync(name, image.Layers[0].Digest);
        await HttpAssert.StatusAsync(blob, HttpStatusCode.OK);
        Assert.Equal(image.Layers[0].Content, await blob.Content.ReadAsByteArrayAsync());
        Assert.Equal(["t"], await JsonBody.TagsAsync(await Client.ListTagsAsync(name), name));
        await HttpAssert.StatusAsync(await Client.ReferrersAsync(name, image.Digest), HttpStatusCode.OK);
        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(name, "t"), HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(name, image.Digest), HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(name, image.Layers[0].Digest), HttpStatusCode.Accepted);
    }
}
