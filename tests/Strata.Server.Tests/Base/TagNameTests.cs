using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Base;

/// <summary>
/// Tag rules ("Pulling manifests": a tag MUST match <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>). The spec
/// names no code for a bad tag; distribution uses TAG_INVALID, so that, or MANIFEST_INVALID, in a 400.
/// </summary>
public sealed class TagNameTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    public static TheoryData<string> InvalidTags() =>
    [
        "-leading-dash",
        ".leading-dot",
        "a+b",
        "a~b",
        "a%2Cb",
        new string('a', 129),
    ];

    public static TheoryData<string> ValidTags() =>
    [
        "_underscore",
        "UPPER",
        "1.0",
        "a-b_c.d",
        "0",
        new string('a', 128),
        "a--b..c__d",
    ];

    [Theory]
    [MemberData(nameof(InvalidTags))]
    public async Task Push_to_invalid_tag_returns_400_and_stores_nothing(string tag)
    {
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        var body = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), []);

        var response = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "TAG_INVALID", "MANIFEST_INVALID");
        await ManifestAssert.AbsentAsync(Client, repository, Digests.Of(body));
    }

    [Theory]
    [MemberData(nameof(ValidTags))]
    public async Task Push_to_valid_tag_is_accepted(string tag)
    {
        var repository = Names.Repository();

        var image = await Client.PushImageAsync(repository, tag);

        await ManifestAssert.ServedAsync(Client, repository, tag, image);
        Assert.Equal([tag], await JsonBody.TagsAsync(await Client.ListTagsAsync(repository), repository));
    }
}
