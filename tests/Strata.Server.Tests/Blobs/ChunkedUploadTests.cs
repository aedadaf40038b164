using System.Globalization;
using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// end-5, end-6 and end-13: chunked uploads ("Pushing a blob in chunks"), streamed PATCH, the final
/// chunk in the closing PUT, out-of-order chunks (416) and upload status. Mirrors the official
/// suite's <c>BlobPatchChunked</c> (with the PutLastChunk and OutOfOrderChunks flags) and
/// <c>BlobPatchStream</c>.
/// </summary>
public sealed class ChunkedUploadTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private const int WantedChunk = 1024;

    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Chunked_upload_of_three_chunks_completes_with_201()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var blob = TestBlob.Random(chunk * 3 - 5);

        var location = await PatchChunksAsync(session, blob.Content, chunk, upTo: blob.Content.Length);
        var response = await Client.PutUploadAsync(location, blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertLocationServesAsync(response, blob);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Chunked_upload_with_final_chunk_in_put_completes_with_201()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var blob = TestBlob.Random(chunk * 3 - 5);

        var location = await PatchChunksAsync(session, blob.Content, chunk, upTo: chunk * 2);
        var response = await Client.PutUploadAsync(location, blob.Digest, blob.Content[(chunk * 2)..], rangeStart: chunk * 2);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Single_chunk_upload_completes()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var blob = TestBlob.Random(512);

        var patch = await Client.PatchAsync(session.Location, blob.Content, 0);
        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        await HttpAssert.HeaderEqualAsync(patch, "Range", "0-511");
        var response = await Client.PutUploadAsync(RegistryClient.Location(patch), blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Each_chunk_response_carries_location_range_and_upload_uuid()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var data = TestBlob.Random(chunk * 2).Content;

        var first = await Client.PatchAsync(session.Location, data[..chunk], 0);
        var second = await Client.PatchAsync(RegistryClient.Location(first), data[chunk..], chunk);

        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);
        await HttpAssert.HeaderEqualAsync(first, "Range", $"0-{chunk - 1}");
        Assert.Equal(session.UploadUuid, await HttpAssert.RequiredHeaderAsync(first, "Docker-Upload-UUID"));
        await HttpAssert.StatusAsync(second, HttpStatusCode.Accepted);
        await HttpAssert.HeaderEqualAsync(second, "Range", $"0-{(chunk * 2) - 1}");
        Assert.Equal(session.UploadUuid, await HttpAssert.RequiredHeaderAsync(second, "Docker-Upload-UUID"));
        RegistryClient.Location(second);
    }

    [Fact]
    public async Task Chunked_upload_out_of_order_returns_416()
    {
        // "If a chunk is uploaded out of order, the registry MUST respond with a 416".
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var data = TestBlob.Random(chunk * 3).Content;
        var first = await Client.PatchAsync(session.Location, data[..chunk], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);

        var skipped = await Client.PatchAsync(RegistryClient.Location(first), data[(chunk * 2)..], chunk * 2);

        await HttpAssert.ErrorAsync(skipped, HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task Out_of_order_chunk_leaves_the_upload_intact_and_resumable()
    {
        // After a 416: "A GET request may be used to retrieve the current valid offset and upload
        // location"; the official suite then checks the offset is unchanged and completes the upload.
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var blob = TestBlob.Random(chunk * 3 - 5);
        var first = await Client.PatchAsync(session.Location, blob.Content[..chunk], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);
        var skipped = await Client.PatchAsync(RegistryClient.Location(first), blob.Content[(chunk * 2)..], chunk * 2);
        await HttpAssert.ErrorAsync(skipped, HttpStatusCode.RequestedRangeNotSatisfiable);

        var status = await Client.UploadStatusAsync(RegistryClient.Location(first));
        await HttpAssert.StatusAsync(status, HttpStatusCode.NoContent);
        await HttpAssert.HeaderEqualAsync(status, "Range", $"0-{chunk - 1}");
        var second = await Client.PatchAsync(RegistryClient.Location(status), blob.Content[chunk..(chunk * 2)], chunk);
        await HttpAssert.StatusAsync(second, HttpStatusCode.Accepted);
        var put = await Client.PutUploadAsync(RegistryClient.Location(second), blob.Digest, blob.Content[(chunk * 2)..], chunk * 2);

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task First_chunk_not_starting_at_zero_returns_416()
    {
        // "The first chunk's range MUST begin with 0".
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);

        var response = await Client.PatchAsync(session.Location, new byte[100], 100);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task Chunk_overlapping_uploaded_data_returns_416()
    {
        // "with the first byte of a chunk being the last chunk's <end-of-range> plus one".
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var data = TestBlob.Random(200).Content;
        var first = await Client.PatchAsync(session.Location, data[..100], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);

        var replay = await Client.PatchAsync(RegistryClient.Location(first), data[50..], 50);

        await HttpAssert.ErrorAsync(replay, HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task Final_chunk_in_put_out_of_order_returns_416()
    {
        // The official suite's "chunked out-of-order and put chunk": the misplaced last chunk comes in the PUT.
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var blob = TestBlob.Random(chunk * 3 - 5);
        var first = await Client.PatchAsync(session.Location, blob.Content[..chunk], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);

        var put = await Client.PutUploadAsync(RegistryClient.Location(first), blob.Digest, blob.Content[(chunk * 2)..], chunk * 2);

        await HttpAssert.ErrorAsync(put, HttpStatusCode.RequestedRangeNotSatisfiable);
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Content_range_disagreeing_with_body_length_is_rejected_and_stores_nothing()
    {
        // Content-Range says 100 bytes, the body has 50. The spec does not name the answer; a 4xx with
        // the error envelope (416 for the range, or 400) and an upload that stays at offset 0.
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var content = RegistryClient.Octets(new byte[50]);
        content.Headers.TryAddWithoutValidation("Content-Range", "0-99");

        var response = await Client.SendAsync(HttpMethod.Patch, session.Location, content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.BadRequest, HttpStatusCode.RequestedRangeNotSatisfiable);
        await HttpAssert.ErrorAsync(response, response.StatusCode);
        var status = await Client.UploadStatusAsync(session.Location);
        await HttpAssert.StatusAsync(status, HttpStatusCode.NoContent);
        await HttpAssert.HeaderEqualAsync(status, "Range", "0-0");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("9-0")]
    [InlineData("-9")]
    public async Task Malformed_content_range_is_rejected_and_leaves_the_upload_at_zero(string contentRange)
    {
        // Ranges a registry cannot place. (The spec's "MUST match ^[0-9]+-[0-9]+$" binds the client; a
        // registry may also take the RFC 9110 form "bytes 0-9/10", so that one is not asserted.) The
        // spec names no status: 400 or 416 with the envelope, and the upload still at offset 0.
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var content = RegistryClient.Octets(new byte[10]);
        content.Headers.TryAddWithoutValidation("Content-Range", contentRange);

        var response = await Client.SendAsync(HttpMethod.Patch, session.Location, content);

        await HttpAssert.StatusAsync(response, HttpStatusCode.BadRequest, HttpStatusCode.RequestedRangeNotSatisfiable);
        await HttpAssert.ErrorAsync(response, response.StatusCode);
        var status = await Client.UploadStatusAsync(session.Location);
        await HttpAssert.StatusAsync(status, HttpStatusCode.NoContent);
        await HttpAssert.HeaderEqualAsync(status, "Range", "0-0");
    }

    [Fact]
    public async Task Whole_blob_as_the_only_chunk_of_the_closing_put_completes()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(777);
        var session = await Client.StartUploadAsync(repository);

        var put = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content, rangeStart: 0);

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Chunked_upload_with_wrong_digest_returns_400_DIGEST_INVALID_and_stores_nothing()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var blob = TestBlob.Random(chunk * 2);
        var location = await PatchChunksAsync(session, blob.Content, chunk, upTo: blob.Content.Length);
        var claimed = Digests.Unknown();

        var response = await Client.PutUploadAsync(location, claimed);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertAbsentAsync(repository, claimed);
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Chunked_upload_with_wrong_digest_in_final_put_chunk_returns_400_DIGEST_INVALID()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(WantedChunk);
        var blob = TestBlob.Random(chunk * 2);
        var location = await PatchChunksAsync(session, blob.Content, chunk, upTo: chunk);
        var corrupted = blob.Content[chunk..];
        corrupted[0] ^= 0xff;

        var response = await Client.PutUploadAsync(location, blob.Digest, corrupted, chunk);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Streamed_patch_without_content_range_is_accepted()
    {
        // Official suite "stream": one PATCH with the whole blob and no Content-Range; sent here with
        // chunked transfer encoding (no Content-Length either), as docker does.
        var repository = Names.Repository();
        var blob = TestBlob.Random(100_000);
        var session = await Client.StartUploadAsync(repository);

        var patch = await Client.PatchStreamedAsync(session.Location, blob.Content);

        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        await HttpAssert.HeaderEqualAsync(patch, "Range", $"0-{blob.Content.Length - 1}");
        var put = await Client.PutUploadAsync(RegistryClient.Location(patch), blob.Digest);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(put, "Docker-Content-Digest", blob.Digest);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Streamed_patch_with_content_length_but_no_content_range_is_accepted()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000);
        var session = await Client.StartUploadAsync(repository);

        var patch = await Client.PatchAsync(session.Location, blob.Content, start: null);

        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);
        await HttpAssert.HeaderEqualAsync(patch, "Range", "0-2999");
        var put = await Client.PutUploadAsync(RegistryClient.Location(patch), blob.Digest);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    [Fact]
    public async Task Streamed_upload_with_wrong_digest_returns_400_DIGEST_INVALID()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(5000);
        var session = await Client.StartUploadAsync(repository);
        var patch = await Client.PatchStreamedAsync(session.Location, [.. blob.Content, .. "oh no"u8.ToArray()]);
        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);

        var put = await Client.PutUploadAsync(RegistryClient.Location(patch), blob.Digest);

        await HttpAssert.ErrorAsync(put, HttpStatusCode.BadRequest, "DIGEST_INVALID");
        await AssertAbsentAsync(repository, blob.Digest);
    }

    [Fact]
    public async Task Upload_status_returns_204_with_location_and_range()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var patch = await Client.PatchAsync(session.Location, new byte[700], 0);
        await HttpAssert.StatusAsync(patch, HttpStatusCode.Accepted);

        var status = await Client.UploadStatusAsync(RegistryClient.Location(patch));

        // end-13: "MUST be a 204 No Content response code, and MUST have the following headers:
        // Location: <location>, Range: 0-<end-of-range>".
        await HttpAssert.StatusAsync(status, HttpStatusCode.NoContent);
        await HttpAssert.HeaderEqualAsync(status, "Range", "0-699");
        RegistryClient.Location(status);
        Assert.Equal(session.UploadUuid, await HttpAssert.RequiredHeaderAsync(status, "Docker-Upload-UUID"));
        Assert.Empty(await status.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_status_of_a_new_session_reports_range_0_0()
    {
        // "<end-of-range> is the position of the last uploaded byte": undefined with nothing uploaded.
        // The spec's form 0-<end-of-range> has no way to say "empty" and the reference implementation
        // (distribution, registry/handlers/blobupload.go: endRange = size-1 only when size > 0)
        // answers "0-0", which docker and containerd accept. That is the behaviour asserted.
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);

        var status = await Client.UploadStatusAsync(session.Location);

        await HttpAssert.StatusAsync(status, HttpStatusCode.NoContent);
        await HttpAssert.HeaderEqualAsync(status, "Range", "0-0");
    }

    [Fact]
    public async Task Upload_status_of_unknown_upload_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        var repository = Names.Repository();
        var unknown = Client.Url($"/v2/{repository}/blobs/uploads/{Guid.NewGuid()}");

        var response = await Client.UploadStatusAsync(unknown);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Patch_to_unknown_upload_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        var repository = Names.Repository();
        var unknown = Client.Url($"/v2/{repository}/blobs/uploads/{Guid.NewGuid()}");

        var response = await Client.PatchAsync(unknown, new byte[10], 0);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Patch_after_completion_returns_404_BLOB_UPLOAD_UNKNOWN()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(10);
        var session = await Client.StartUploadAsync(repository);
        await HttpAssert.StatusAsync(await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content), HttpStatusCode.Created);

        var response = await Client.PatchAsync(session.Location, new byte[10], 10);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Duplicate_chunk_sent_concurrently_is_applied_once()
    {
        // Two clients (or a retry) race the same first chunk into one session: exactly one may land,
        // the other must be refused (416: its range no longer starts at the offset), and the upload
        // must still complete into the right blob. Repeated to give a race a chance to show.
        for (var round = 0; round < 10; round++)
        {
            var repository = Names.Repository();
            var blob = TestBlob.Random(64 * 1024);
            var session = await Client.StartUploadAsync(repository);
            var half = blob.Content.Length / 2;

            var responses = await Task.WhenAll(
                Client.PatchAsync(session.Location, blob.Content[..half], 0),
                Client.PatchAsync(session.Location, blob.Content[..half], 0));

            var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Accepted);
            Assert.True(accepted == 1, $"exactly one of two identical concurrent chunks must be accepted (round {round}):\n"
                + await HttpAssert.DescribeAsync(responses[0]) + "\n" + await HttpAssert.DescribeAsync(responses[1]));
            var refused = responses.Single(r => r.StatusCode != HttpStatusCode.Accepted);
            Assert.True((int)refused.StatusCode is >= 400 and < 500, await HttpAssert.DescribeAsync(refused));
            var status = await Client.UploadStatusAsync(session.Location);
            await HttpAssert.HeaderEqualAsync(status, "Range", $"0-{half - 1}");
            var put = await Client.PutUploadAsync(session.Location, blob.Digest, blob.Content[half..], half);
            await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
            await AssertStoredAsync(repository, blob);
        }
    }

    [Fact]
    public async Task Large_blob_in_many_chunks_round_trips_exactly()
    {
        var repository = Names.Repository();
        var session = await Client.StartUploadAsync(repository);
        var chunk = session.ChunkSize(256 * 1024);
        var blob = TestBlob.Random(chunk * 8 + 12345);

        var location = await PatchChunksAsync(session, blob.Content, chunk, upTo: blob.Content.Length);
        var put = await Client.PutUploadAsync(location, blob.Digest);

        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await AssertStoredAsync(repository, blob);
    }

    /// <summary>PATCHes chunks [0, upTo), following each Location and checking each 202 and Range.</summary>
    private async Task<Uri> PatchChunksAsync(UploadSession session, byte[] data, int chunk, int upTo)
    {
        var location = session.Location;
        for (var start = 0; start < upTo; start += chunk)
        {
            var end = Math.Min(start + chunk, upTo);
            var response = await Client.PatchAsync(location, data[start..end], start);
            await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
            await HttpAssert.HeaderEqualAsync(response, "Range", "0-" + (end - 1).ToString(CultureInfo.InvariantCulture));
            location = RegistryClient.Location(response);
        }

        return location;
    }

    private async Task AssertLocationServesAsync(HttpResponseMessage created, TestBlob blob)
    {
        var response = await Client.SendAsync(HttpMethod.Get, RegistryClient.Location(created));
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertStoredAsync(string repository, TestBlob blob)
    {
        var response = await Client.GetBlobAsync(repository, blob.Digest);
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task AssertAbsentAsync(string repository, string digest) =>
        await HttpAssert.StatusAsync(await Client.HeadBlobAsync(repository, digest), HttpStatusCode.NotFound);
}
