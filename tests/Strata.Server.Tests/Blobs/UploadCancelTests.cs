using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// end-14 (1.1+dev): <c>DELETE &lt;blob-push-location&gt;</c> cancels an upload ("Cancel a blob
/// upload": "If successful, the response SHOULD be a 204 No Content"); official suite
/// <c>BlobPostCancel</c>, enabled at <c>OCI_VERSION=dev</c>.
/// </summary>
public sealed class UploadCancelTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Cancel_upload_returns_204()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.CancelUploadAsync(session.Location);

        await HttpAssert.StatusAsync(response, HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Cancelled_upload_status_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        // code-3 BLOB_UPLOAD_UNKNOWN: "If a blob upload has been cancelled or was never started".
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        await HttpAssert.StatusAsync(await Client.CancelUploadAsync(session.Location), HttpStatusCode.NoContent);

        var status = await Client.UploadStatusAsync(session.Location);

        await HttpAssert.ErrorAsync(status, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Cancelled_upload_rejects_further_chunks_and_completion()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(2048);
        var session = await Client.StartUploadAsync(repository);
        var patch = await Client.PatchAsync(session.Location, blob.Content[..1024], 0);
        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        var location = RegistryClient.Location(patch);
        await HttpAssert.StatusAsync(await Client.CancelUploadAsync(location), HttpStatusCode.NoContent);

        var nextChunk = await Client.PatchAsync(location, blob.Content[1024..], 1024);
        var close = await Client.PutUploadAsync(location, blob.Digest, blob.Content[1024..], 1024);

        await HttpAssert.ErrorAsync(nextChunk, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await HttpAssert.ErrorAsync(close, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, blob.Digest), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancel_unknown_upload_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        var repository = Names.Repository();
        var unknown = Client.Url($"/v2/{repository}/blobs/uploads/{Guid.NewGuid()}");

        var response = await Client.CancelUploadAsync(unknown);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Cancel_twice_returns_404_the_second_time()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        await HttpAssert.StatusAsync(await Client.CancelUploadAsync(session.Location), HttpStatusCode.NoContent);

        var again = await Client.CancelUploadAsync(session.Location);

        await HttpAssert.ErrorAsync(again, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Cancel_does_not_touch_other_sessions()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(100);
        var cancelled = await Client.StartUploadAsync(repository);
        var kept = await Client.StartUploadAsync(repository);

        await HttpAssert.StatusAsync(await Client.CancelUploadAsync(cancelled.Location), HttpStatusCode.NoContent);
        var put = await Client.PutUploadAsync(kept.Location, blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
    }
}
