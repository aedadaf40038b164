using System.Net;
using System.Net.Http.Headers;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Streaming;

/// <summary>A blob far larger than any buffer goes up and comes back through plain HTTP streaming.</summary>
[Trait("Category", "Integration")]
public sealed class LargeBlobStreamingTests
{
    private const long Size = 512L * 1024 * 1024;

    [Fact]
    public async Task Blob_of_512_MiB_streams_up_in_one_patch_and_back_with_the_same_digest()
    {
        await using var registry = await InProcessRegistry.StartAsync();
        using var http = new RegistryHttp(registry.BaseAddress);
        const string name = "large/blob";

        // Docker's way: one PATCH with the whole blob, chunked, no Content-Range; then PUT ?digest.
        var location = await http.StartUploadAsync(name);
        using var sent = new HashingReadStream(new PrngStream(seed: 512, Size));
        using (var body = new StreamContent(sent, 1 << 20))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = body };
            patch.Headers.TransferEncodingChunked = true;
            using var patched = await http.Client.SendAsync(patch);
            await RegistryHttp.ExpectAsync(patched, HttpStatusCode.Accepted);
            location = patched.Headers.Location is { } next ? new Uri(registry.BaseAddress, next) : location;
        }

        Assert.Equal(Size, sent.BytesRead);
        var digest = sent.Digest();
        await http.CompleteUploadAsync(location, digest);

        using (var head = await http.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/{name}/blobs/{digest}")))
        {
            await RegistryHttp.ExpectAsync(head, HttpStatusCode.OK);
            Assert.Equal(Size, head.Content.Headers.ContentLength);
            Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
        }

        using var response = await http.Client.GetAsync($"v2/{name}/blobs/{digest}", HttpCompletionOption.ResponseHeadersRead);
        await RegistryHttp.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        using var received = new HashingReadStream(await response.Content.ReadAsStreamAsync());
        await received.CopyToAsync(Stream.Null, 1 << 20);
        Assert.Equal(Size, received.BytesRead);
        Assert.Equal(digest, received.Digest());
    }
}
