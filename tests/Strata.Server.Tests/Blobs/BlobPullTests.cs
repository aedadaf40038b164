using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Blobs;

/// <summary>
/// end-2: <c>GET</c>/<c>HEAD /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> ("Pulling blobs", "Checking
/// if content exists") and range requests (official suite "range requests": 500-1499, 500-,
/// -500, 2000-5000 on a 2048-byte blob answer 206; 500-0 and 5000-10000 answer 416, and a full
/// 200 in their place counts as a failure).
/// </summary>
public sealed class BlobPullTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private const int RangeBlobLength = 2048;

    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Get_blob_returns_200_with_exact_bytes_length_and_digest()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(blob.Size, response.Content.Headers.ContentLength);
        // "If present, the value of this header MUST be a digest matching that of the response body";
        // required at OCI_VERSION=dev.
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
    }

    [Fact]
    public async Task Head_blob_returns_200_with_length_and_digest_and_no_body()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(3000);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.HeadBlobAsync(repository, blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Size, response.Content.Headers.ContentLength);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", blob.Digest);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Blob_responses_carry_the_digest_as_strong_etag()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(100);
        await Client.PushBlobAsync(repository, blob);

        var get = await Client.GetBlobAsync(repository, blob.Digest);
        var head = await Client.HeadBlobAsync(repository, blob.Digest);

        foreach (var response in new[] { get, head })
        {
            var etag = response.Headers.ETag;
            Assert.True(etag is not null, "ETag missing:\n" + await HttpAssert.DescribeAsync(response));
            Assert.False(etag!.IsWeak, "ETag must be strong: " + etag);
            Assert.Equal($"\"{blob.Digest}\"", etag.Tag);
        }
    }

    [Fact]
    public async Task Conditional_get_with_matching_etag_returns_304()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(100);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{blob.Digest}",
            configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", $"\"{blob.Digest}\""));

        await HttpAssert.StatusAsync(response, HttpStatusCode.NotModified);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Empty_blob_is_served_with_zero_length()
    {
        var repository = Names.Repository();
        var blob = TestBlob.From([]);
        await Client.PushBlobAsync(repository, blob);

        var get = await Client.GetBlobAsync(repository, blob.Digest);
        var head = await Client.HeadBlobAsync(repository, blob.Digest);

        await HttpAssert.StatusAsync(get, HttpStatusCode.OK);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, get.Content.Headers.ContentLength);
        await HttpAssert.HeaderEqualAsync(get, "Docker-Content-Digest", Digests.EmptySha256);
        await HttpAssert.StatusAsync(head, HttpStatusCode.OK);
        Assert.Equal(0, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Get_unknown_blob_returns_404_BLOB_UNKNOWN()
    {
        var repository = Names.Repository();
        await Client.PushBlobAsync(repository, TestBlob.Random(10));

        var response = await Client.GetBlobAsync(repository, Digests.Unknown());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Get_blob_in_unknown_repository_returns_404()
    {
        var response = await Client.GetBlobAsync(Names.Repository(), Digests.Unknown());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "BLOB_UNKNOWN", "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Head_unknown_blob_returns_404_without_body()
    {
        var repository = Names.Repository();

        var response = await Client.HeadBlobAsync(repository, Digests.Unknown());

        await HttpAssert.StatusAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("sha256:baddigeststring")]
    [InlineData("sha256:1234")]
    [InlineData("notadigest")]
    public async Task Get_blob_with_malformed_digest_is_rejected(string digest)
    {
        // The official suite accepts 404 or 400 for the manifest analogue ("sha256:baddigeststring").
        var repository = Names.Repository();

        var response = await Client.GetBlobAsync(repository, digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        await HttpAssert.ErrorAsync(response, response.StatusCode, "DIGEST_INVALID", "BLOB_UNKNOWN");
    }

    [Fact]
    public async Task Sha512_blob_is_served_under_its_sha512_digest()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(4000, Digests.Sha512);
        await Client.PushBlobAsync(repository, blob);

        var get = await Client.GetBlobAsync(repository, blob.Digest);
        var head = await Client.HeadBlobAsync(repository, blob.Digest);

        await HttpAssert.StatusAsync(get, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await get.Content.ReadAsByteArrayAsync());
        await HttpAssert.HeaderEqualAsync(get, "Docker-Content-Digest", blob.Digest);
        await HttpAssert.StatusAsync(head, HttpStatusCode.OK);
        Assert.Equal(blob.Size, head.Content.Headers.ContentLength);
        await HttpAssert.HeaderEqualAsync(head, "Docker-Content-Digest", blob.Digest);
    }

    [Theory]
    [InlineData("bytes=500-1499", 500, 1499)]
    [InlineData("bytes=500-", 500, RangeBlobLength - 1)]
    [InlineData("bytes=-500", RangeBlobLength - 500, RangeBlobLength - 1)]
    [InlineData("bytes=2000-5000", 2000, RangeBlobLength - 1)]
    [InlineData("bytes=0-0", 0, 0)]
    [InlineData("bytes=2047-2047", 2047, 2047)]
    public async Task Range_request_returns_206_with_content_range(string range, int first, int last)
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(RangeBlobLength);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest, range);

        await HttpAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal(blob.Content[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
        var contentRange = await HttpAssert.RequiredHeaderAsync(response, "Content-Range");
        Assert.Contains(contentRange, new[] { $"bytes {first}-{last}/{RangeBlobLength}", $"bytes {first}-{last}/*" });
    }

    [Theory]
    [InlineData("bytes=5000-10000")]
    [InlineData("bytes=2048-")]
    [InlineData("bytes=500-0")]
    public async Task Unsatisfiable_range_returns_416(string range)
    {
        // The official suite requires 416 for "500-0" and "5000-10000"; falling back to a 200 with
        // the whole blob is reported as "range request unsupported".
        var repository = Names.Repository();
        var blob = TestBlob.Random(RangeBlobLength);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest, range);

        await HttpAssert.StatusAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task Unsatisfiable_range_reports_the_blob_length()
    {
        // RFC 9110 15.5.17: a 416 to a byte range request SHOULD carry Content-Range: bytes */length.
        var repository = Names.Repository();
        var blob = TestBlob.Random(RangeBlobLength);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest, "bytes=5000-10000");

        await HttpAssert.StatusAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
        await HttpAssert.HeaderEqualAsync(response, "Content-Range", $"bytes */{RangeBlobLength}");
    }

    [Fact]
    public async Task Range_request_on_an_empty_blob_returns_416()
    {
        // RFC 9110 14.1.1: no byte range of an empty representation is satisfiable.
        var repository = Names.Repository();
        await Client.PushBlobAsync(repository, TestBlob.From([]));

        var response = await Client.GetBlobAsync(repository, Digests.EmptySha256, "bytes=0-");

        await HttpAssert.StatusAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable);
    }

    [Fact]
    public async Task Range_request_on_sha512_blob_returns_206()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random(RangeBlobLength, Digests.Sha512);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest, "bytes=500-1499");

        await HttpAssert.StatusAsync(response, HttpStatusCode.PartialContent);
        Assert.Equal(blob.Content[500..1500], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Blob_of_several_megabytes_round_trips_exactly()
    {
        var repository = Names.Repository();
        var blob = TestBlob.Random((5 * 1024 * 1024) + 17);
        await Client.PushBlobAsync(repository, blob);

        var response = await Client.GetBlobAsync(repository, blob.Digest);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(blob.Digest, Digests.Of(await response.Content.ReadAsByteArrayAsync()));
    }
}
