using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// end-4a, end-4b and end-6: the two monolithic uploads ("POST then PUT" and "Single POST") and the
/// digest checks that guard them (spec "Pushing a blob monolithically"; official suite
/// <c>TestPushBlobPostOnly</c>, <c>TestPushBlobPostPut</c> and the "bad digest" cases).
/// </summary>
public sealed class MonolithicUploadTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Post_starts_a_session_with_202_location_and_upload_uuid()
    {
        var repository = Names.Repository();

        var response = await Client.PostUploadAsync(repository);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var location = RegistryClient.Location(response);
        var uuid = await HttpAssert.RequiredHeaderAsync(response, "Docker-Upload-UUID");
        // "The <location> MUST contain a UUID representing a unique session ID for the upload".
        Assert.Contains(uuid, location.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_post_starts_a_different_session()
    {
        var repository = Names.Repository();

        var first = await Client.StartUploadAsync(repository);
        var second = await Client.StartUploadAsync(repository);

        Assert.NotEqual(first.Location, second.Location);
        Assert.NotEqual(first.UploadUuid, second.UploadUuid);
    }

    [Fact]
    public async Task Post_then_put_with_body_creates_the_blob()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(2000);
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertPullableAsync(RegistryClient.Location(response), blob);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Single_post_with_digest_creates_the_blob_with_201()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(1500);

        var response = await Client.PostUploadAsync(repository, "digest=" + blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertPullableAsync(RegistryClient.Location(response), blob);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Empty_blob_is_accepted_with_post_then_put()
    {
        var repository = Names.Repository();
        var blob = TestBlob.From([]);
        Assert.Equal(Digests.EmptySha256, blob.Digest);
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, []);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Empty_blob_is_accepted_with_single_post()
    {
        var repository = Names.Repository();
        var blob = TestBlob.From([]);

        var response = await Client.PostUploadAsync(repository, "digest=" + blob.Digest, []);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Empty_json_blob_is_accepted()
    {
        var repository = Names.Repository();
        var blob = TestBlob.EmptyJson();

        await Client.PushBlobAsync(repository, blob);

        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Put_with_wrong_digest_returns_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(1000);
        var claimed = Digests.Unknown();
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, claimed, blob.Content);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertAbsentAsync(repository, claimed);
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Put_with_digest_of_truncated_content_returns_400_DIGEST_INVALID()
    {
        // The official suite's "bad digest" data: the digest of the blob, then "oh no" appended to the bytes sent.
        var repository = Names.Repository();
        var blob = TestBlob.Random(1000);
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, [.. blob.Content, .. "oh no"u8.ToArray()]);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Single_post_with_wrong_digest_returns_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(1000);
        var claimed = Digests.Unknown();

        var response = await Client.PostUploadAsync(repository, "digest=" + claimed, blob.Content);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertAbsentAsync(repository, claimed);
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Theory]
    [InlineData("sha256:baddigeststring")]
    [InlineData("sha256:1234")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:")]
    [InlineData(":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public async Task Put_with_malformed_digest_returns_400_DIGEST_INVALID(string digest)
    {
        // image-spec descriptor.md: sha256 encoded part MUST match /[a-f0-9]{64}/; DIGEST_INVALID (code-4).
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, digest, "abc"u8.ToArray());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Theory]
    [InlineData("sha256:baddigeststring")]
    [InlineData("sha256:1234")]
    public async Task Single_post_with_malformed_digest_returns_400_DIGEST_INVALID(string digest)
    {
        var repository = Names.Repository();

        var response = await Client.PostUploadAsync(repository, "digest=" + Uri.EscapeDataString(digest), "abc"u8.ToArray());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Put_without_digest_parameter_is_rejected_with_400()
    {
        // "The closing PUT request MUST include the <digest> of the whole blob"; distribution answers
        // DIGEST_INVALID ("digest missing"); BLOB_UPLOAD_INVALID would also describe it.
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.SendAsync(HttpMethod.Put, session.Location, RegistryClient.Octets("abc"u8.ToArray()));

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID", "BLOB_UPLOAD_INVALID");
    }

    [Fact]
    public async Task Completed_session_is_gone()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(100);
        var session = await Client.StartUploadAsync(repository);
        await HttpAssert.StatusAsync(await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content), HttpStatusCode.Created);

        var status = await Client.UploadStatusAsync(session.Location);
        var again = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content);

        await HttpAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await HttpAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Put_to_unknown_upload_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(10);
        var unknown = Client.Url($"/v2/{repository}/blobs/uploads/{Guid.NewGuid()}");

        var response = await Client.PutUploadAsync(unknown, blob.Digest, blob.Content);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Upload_session_is_bound_to_its_repository()
    {
        // A session of repository A addressed through repository B's URL must not complete into B.
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(10);
        var session = await Client.StartUploadAsync(a);
        var foreign = new Uri(session.Location.AbsoluteUri.Replace($"/v2/{a}/", $"/v2/{b}/", StringComparison.Ordinal));

        var response = await Client.PutUploadAsync(foreign, blob.Digest, blob.Content);

        // The spec does not name the code; distribution answers BLOB_UPLOAD_INVALID, a lookup by
        // (repository, id) answers BLOB_UPLOAD_UNKNOWN. Either way: an error, and nothing in B.
        await HttpAssert.StatusAsync(response, HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        await HttpAssert.ErrorAsync(response, response.StatusCode, "BLOB_UPLOAD_UNKNOWN", "BLOB_UPLOAD_INVALID");
        await AssertAbsentAsync(b, blob.Digest);
    }

    [Fact]
    public async Task Same_blob_uploaded_concurrently_twice_succeeds_both_times()
    {
        // "If process A and B upload the same layer at the same time, both operations will proceed".
        var repository = Names.Repository();
        var blob = TestBlob.Random(256 * 1024);
        var first = await Client.StartUploadAsync(repository);
        var second = await Client.StartUploadAsync(repository);

        var responses = await Task.WhenAll(
            Client.PutUploadAsync(first.Location, blob.Digest, blob.Content),
            Client.PutUploadAsync(second.Location, blob.Digest, blob.Content));

        await HttpAssert.StatusAsync(responses[0], HttpStatusCode.Created);
        await HttpAssert.StatusAsync(responses[1], HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Uploading_an_existing_blob_again_succeeds()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(100);
        await Client.PushBlobAsync(repository, blob);

        await Client.PushBlobAsync(repository, blob);

        await AssertStoredAsync(repository, blob);
    }

    private async Task AssertPullableAsync(Uri blobLocation, TestBlob blob)
    {
        // "<blob-location> being a pullable blob URL".
        var response = await Client.SendAsync(HttpMethod.Get, blobLocation);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertStoredAsync(string repository, TestBlob blob)
    {
        var response = await Client.GetBlobAsync(repository, blob.Digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertAbsentAsync(string repository, string digest)
    {
        var response = await Client.HeadBlobAsync(repository, digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.NotFound);
    }
}
