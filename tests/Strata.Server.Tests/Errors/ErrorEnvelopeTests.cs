using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Errors;

/// <summary>
/// The error codes table (code-1 … code-14) in one place: one request per code the registry can
/// produce without authentication, each answered with the spec's status and the
/// <c>{"errors":[{"code","message","detail"}]}</c> envelope as <c>application/json</c>. (UNAUTHORIZED,
/// DENIED and TOOMANYREQUESTS need auth and rate limits, which this suite does not configure.)
/// </summary>
public sealed class ErrorEnvelopeTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task BLOB_UNKNOWN_for_a_missing_blob()
    {
        var repository = await RepositoryAsync();

        await HttpAssert.ErrorAsync(await Client.GetBlobAsync(repository, Digests.Unknown()), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task BLOB_UPLOAD_UNKNOWN_for_a_missing_upload()
    {
        var repository = await RepositoryAsync();
        var unknown = Client.Url($"/v2/{repository}/blobs/uploads/{Guid.NewGuid()}");

        await HttpAssert.ErrorAsync(await Client.UploadStatusAsync(unknown), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task DIGEST_INVALID_for_content_that_does_not_match()
    {
        var repository = await RepositoryAsync();
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, Digests.Unknown(), "content"u8.ToArray());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task MANIFEST_BLOB_UNKNOWN_for_a_manifest_over_missing_blobs()
    {
        var repository = await RepositoryAsync();
        var body = ManifestJson.OciManifest(TestBlob.ImageConfig().Describe(MediaTypes.OciConfig), []);

        var response = await Client.PutManifestAsync(repository, "t", body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_BLOB_UNKNOWN");
    }

    [Fact]
    public async Task MANIFEST_INVALID_for_a_malformed_manifest()
    {
        var repository = await RepositoryAsync();

        var response = await Client.PutManifestAsync(repository, "t", "{\"schemaVersion\":"u8.ToArray(), MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "MANIFEST_INVALID");
    }

    [Fact]
    public async Task MANIFEST_UNKNOWN_for_a_missing_manifest()
    {
        var repository = await RepositoryAsync();

        await HttpAssert.ErrorAsync(await Client.GetManifestAsync(repository, "nope"), HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task NAME_INVALID_for_an_invalid_repository_name()
    {
        await HttpAssert.ErrorAsync(await Client.PostUploadAsync("Invalid/Name"), HttpStatusCode.BadRequest, "NAME_INVALID");
    }

    [Fact]
    public async Task NAME_UNKNOWN_for_a_repository_that_does_not_exist()
    {
        await HttpAssert.ErrorAsync(await Client.ListTagsAsync(Names.Repository()), HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task UNSUPPORTED_or_405_for_a_method_the_resource_does_not_have()
    {
        // code-13 UNSUPPORTED: "The operation was unsupported due to a missing implementation".
        var repository = await RepositoryAsync();

        var response = await Client.SendAsync(HttpMethod.Patch, $"/v2/{repository}/manifests/latest", RegistryClient.Octets([]));

        await HttpAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
    }

    [Theory]
    [InlineData("n=-1")]
    [InlineData("n=abc")]
    [InlineData("n=1.5")]
    public async Task Malformed_page_size_is_rejected_with_400(string query)
    {
        // Not in the OCI spec; distribution answers 400 PAGINATION_NUMBER_INVALID. Any code, but an envelope.
        var repository = await RepositoryAsync();

        await HttpAssert.ErrorAsync(await Client.ListTagsAsync(repository, query), HttpStatusCode.BadRequest);
        await HttpAssert.ErrorAsync(await Client.CatalogAsync(query), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_v2_path_returns_404_with_an_envelope()
    {
        var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{await RepositoryAsync()}/nothing-here");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Error_messages_are_not_empty()
    {
        var response = await Client.GetManifestAsync(await RepositoryAsync(), "nope");

        var root = await JsonBody.ParseAsync(response);
        foreach (var error in root.GetProperty("errors").EnumerateArray())
        {
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }
    }

    private async Task<string> RepositoryAsync()
    {
        var repository = Names.Repository();
        await Client.PushImageAsync(repository, "latest");
        return repository;
    }
}
