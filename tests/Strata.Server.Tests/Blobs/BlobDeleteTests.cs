using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// end-10: <c>DELETE /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> ("Deleting Blobs"): 202, then the blob
/// is gone at once (the official suite's "blob delete atomic" check is a HEAD that must answer 404).
/// </summary>
public sealed class BlobDeleteTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Delete_blob_returns_202_then_head_and_get_return_404()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(500);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.DeleteBlobAsync(repository, blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, blob.Digest), HttpStatusCode.NotFound);
        await HttpAssert.ErrorAsync(await Client.GetBlobAsync(repository, blob.Digest), HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_unknown_blob_returns_404_BLOB_UNKNOWN()
    {
        // "If the blob is not found, a 404 Not Found code MUST be returned".
        var repository = Names.Repository();
        await Client.PushBlobAsync(repository, TestBlob.Random(10));

        var response = await Client.DeleteBlobAsync(repository, Digests.Unknown());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_blob_twice_returns_404_the_second_time()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(50);
        await Client.PushBlobAsync(repository, blob);
        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(repository, blob.Digest), HttpStatusCode.Accepted);

        var again = await Client.DeleteBlobAsync(repository, blob.Digest);

        await HttpAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Delete_blob_leaves_the_same_digest_in_other_repositories()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(300);
        await Client.PushBlobAsync(a, blob);
        await Client.PushBlobAsync(b, blob);

        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(a, blob.Digest), HttpStatusCode.Accepted);

        var response = await Client.GetBlobAsync(b, blob.Digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Deleted_blob_can_be_pushed_again()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(300);
        await Client.PushBlobAsync(repository, blob);
        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(repository, blob.Digest), HttpStatusCode.Accepted);

        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Delete_sha512_blob_returns_202_then_404()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(300, Digests.Sha512);
        await Client.PushBlobAsync(repository, blob);

        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(repository, blob.Digest), HttpStatusCode.Accepted);

        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, blob.Digest), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("sha256:baddigeststring")]
    [InlineData("sha256:1234")]
    public async Task Delete_with_malformed_digest_is_rejected(string digest)
    {
        var repository = Names.Repository();

        var response = await Client.DeleteBlobAsync(repository, digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        await HttpAssert.ErrorAsync(response, response.StatusCode, "DIGEST_INVALID", "BLOB_UNKNOWN");
    }
}
