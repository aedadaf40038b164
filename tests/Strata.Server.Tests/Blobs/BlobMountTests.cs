using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// end-11: cross-repository mount ("Mounting a blob from another repository"); official suite
/// "mount", "mount anonymous" and "mount missing". Blobs are per repository: a digest pushed to A is
/// not served by B until B uploads or mounts it.
/// </summary>
public sealed class BlobMountTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Blob_in_one_repository_is_not_visible_in_another()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(512);
        await Client.PushBlobAsync(a, blob);

        var head = await Client.HeadBlobAsync(b, blob.Digest);
        var get = await Client.GetBlobAsync(b, blob.Digest);

        await HttpAssert.StatusAsync(head, HttpStatusCode.NotFound);
        await HttpAssert.ErrorAsync(get, HttpStatusCode.NotFound, "BLOB_UNKNOWN", "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Mount_from_other_repository_returns_201_with_location_and_digest()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(512);
        await Client.PushBlobAsync(a, blob);

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}&from={a}");

        // "The response to a successful mount MUST be 201 Created, and MUST contain ... Location".
        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        var location = await Client.SendAsync(HttpMethod.Get, RegistryClient.Location(response));
        await HttpAssert.StatusAsync(location, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await location.Content.ReadAsByteArrayAsync());
        await AssertStoredAsync(b, blob);
        await AssertStoredAsync(a, blob);
    }

    [Fact]
    public async Task Mount_of_sha512_blob_returns_201()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(512, Digests.Sha512);
        await Client.PushBlobAsync(a, blob);

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}&from={a}");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(b, blob);
    }

    [Fact]
    public async Task Mount_of_missing_blob_falls_back_to_an_upload_session_with_202()
    {
        // "if a registry ... is unable to mount the requested blob, it SHOULD return a 202. This
        // indicates that the upload session has begun"; the official suite then completes it with PUT.
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(512);
        await Client.PushBlobAsync(a, TestBlob.Random(10));

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}&from={a}");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var put = await Client.PutUploadAsync(RegistryClient.Location(response), blob.Digest, blob.Content);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertStoredAsync(b, blob);
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(a, blob.Digest), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Mount_from_unknown_repository_falls_back_to_202()
    {
        var b = Names.Repository();
        var blob = TestBlob.Random(64);

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}&from={Names.Repository()}");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        RegistryClient.Location(response);
    }

    [Fact]
    public async Task Mount_from_a_repository_that_deleted_the_blob_falls_back_to_202()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(128);
        await Client.PushBlobAsync(a, blob);
        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(a, blob.Digest), HttpStatusCode.Accepted);

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}&from={a}");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(b, blob.Digest), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Anonymous_mount_without_from_returns_201_when_the_blob_exists()
    {
        // "The registry MAY treat the from parameter as optional, and it MAY cross-mount the blob if it
        // can be found" (official suite "mount anonymous", on at 1.1).
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(512);
        await Client.PushBlobAsync(a, blob);

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        RegistryClient.Location(response);
        await AssertStoredAsync(b, blob);
    }

    [Fact]
    public async Task Anonymous_mount_of_missing_blob_returns_202()
    {
        var b = Names.Repository();
        var blob = TestBlob.Random(100);

        var response = await Client.PostUploadAsync(b, $"mount={blob.Digest}");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var put = await Client.PutUploadAsync(RegistryClient.Location(response), blob.Digest, blob.Content);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Mounted_blob_survives_deletion_in_the_source_repository()
    {
        var a = Names.Repository();
        var b = Names.Repository();
        var blob = TestBlob.Random(512);
        await Client.PushBlobAsync(a, blob);
        await HttpAssert.StatusAsync(await Client.PostUploadAsync(b, $"mount={blob.Digest}&from={a}"), HttpStatusCode.Created);

        await HttpAssert.StatusAsync(await Client.DeleteBlobAsync(a, blob.Digest), HttpStatusCode.Accepted);

        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(a, blob.Digest), HttpStatusCode.NotFound);
        await AssertStoredAsync(b, blob);
    }

    private async Task AssertStoredAsync(string repository, TestBlob blob)
    {
        var response = await Client.GetBlobAsync(repository, blob.Digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }
}
