using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// sha512 content (the official suite runs every blob API "for sha256 and sha512", <c>OCI_DATA_SHA512</c>
/// is on at 1.1) and end-4c (1.1+dev): <c>POST /v2/&lt;name&gt;/blobs/uploads/?digest-algorithm=&lt;alg&gt;</c>
/// tells the registry which hash to compute while the upload streams in.
/// </summary>
public sealed class DigestAlgorithmTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Post_with_digest_algorithm_sha512_starts_a_session()
    {
        var repository = Names.Repository();

        var response = await Client.PostUploadAsync(repository, "digest-algorithm=sha512");

        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        RegistryClient.Location(response);
    }

    [Fact]
    public async Task Sha512_post_then_put_with_digest_algorithm_creates_the_blob()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000, Digests.Sha512);
        var session = await Client.StartUploadAsync(repository, "digest-algorithm=sha512");

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Sha512_chunked_upload_with_digest_algorithm_creates_the_blob()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository, "digest-algorithm=sha512");
        var chunk = session.ChunkSize(1024);
        var blob = TestBlob.Random(chunk * 3 - 5, Digests.Sha512);
        var location = session.Location;
        for (var start = 0; start < blob.Content.Length; start += chunk)
        {
            var end = Math.Min(start + chunk, blob.Content.Length);
            var patch = await Client.PatchAsync(location, blob.Content[start..end], start);
            await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
            await HttpAssert.HeaderEqualAsync(patch, "Range", $"0-{end - 1}");
            location = RegistryClient.Location(patch);
        }

        var response = await Client.PutUploadAsync(location, blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Sha512_streamed_upload_with_digest_algorithm_creates_the_blob()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(50_000, Digests.Sha512);
        var session = await Client.StartUploadAsync(repository, "digest-algorithm=sha512");

        var patch = await Client.PatchStreamedAsync(session.Location, blob.Content);
        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        var response = await Client.PutUploadAsync(RegistryClient.Location(patch), blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Sha512_post_then_put_without_digest_algorithm_creates_the_blob()
    {
        // The official suite (v1.1) uploads sha512 blobs without the hint ("TODO: add digest algorithm
        // if not sha256"), so the closing digest alone must be enough.
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000, Digests.Sha512);
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Sha512_chunked_upload_without_digest_algorithm_creates_the_blob()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(4000, Digests.Sha512);
        var session = await Client.StartUploadAsync(repository);
        var first = await Client.PatchAsync(session.Location, blob.Content[..2000], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);
        var second = await Client.PatchAsync(RegistryClient.Location(first), blob.Content[2000..], 2000);
        await HttpAssert.StatusAsync(second, HttpStatusCode.Accepted);

        var response = await Client.PutUploadAsync(RegistryClient.Location(second), blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Sha512_single_post_creates_the_blob()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000, Digests.Sha512);

        var response = await Client.PostUploadAsync(repository, "digest=" + blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Sha512_upload_with_wrong_digest_returns_400_DIGEST_INVALID()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000, Digests.Sha512);
        var session = await Client.StartUploadAsync(repository, "digest-algorithm=sha512");

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, [.. blob.Content, .. "oh no"u8.ToArray()]);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, blob.Digest), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sha512_empty_and_empty_json_blobs_are_accepted()
    {
        var repository = Names.Repository();
        var empty = TestBlob.From([], Digests.Sha512);
        var emptyJson = TestBlob.EmptyJson(Digests.Sha512);

        await Client.PushBlobAsync(repository, empty);
        await Client.PushBlobAsync(repository, emptyJson);

        await AssertStoredAsync(repository, empty);
        await AssertStoredAsync(repository, emptyJson);
    }

    [Fact]
    public async Task Post_with_digest_algorithm_sha256_works_like_the_default()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(500);
        var session = await Client.StartUploadAsync(repository, "digest-algorithm=sha256");

        var response = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha1")]
    [InlineData("not-an-algorithm!")]
    public async Task Post_with_unsupported_digest_algorithm_returns_400(string algorithm)
    {
        // end-4c failure is 400; the spec names no code: DIGEST_INVALID or UNSUPPORTED describe it.
        var repository = Names.Repository();

        var response = await Client.PostUploadAsync(repository, "digest-algorithm=" + Uri.EscapeDataString(algorithm));

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID", "UNSUPPORTED");
    }

    [Fact]
    public async Task Sha256_and_sha512_of_the_same_bytes_are_separate_blobs()
    {
        var repository = Names.Repository();
        var bytes = TestBlob.Random(1000).Content;
        var sha256 = TestBlob.From(bytes, Digests.Sha256);
        var sha512 = TestBlob.From(bytes, Digests.Sha512);
        await Client.PushBlobAsync(repository, sha512);

        var missing = await Client.HeadBlobAsync(repository, sha256.Digest);
        await Client.PushBlobAsync(repository, sha256);

        await HttpAssert.StatusAsync(missing, HttpStatusCode.NotFound);
        await AssertStoredAsync(repository, sha256);
        await AssertStoredAsync(repository, sha512);
    }

    private async Task AssertStoredAsync(string repository, TestBlob blob)
    {
        var response = await Client.GetBlobAsync(repository, blob.Digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
    }
}
