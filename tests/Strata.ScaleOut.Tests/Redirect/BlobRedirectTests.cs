using System.Net;
using System.Net.Http.Headers;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.ScaleOut.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Redirect;

/// <summary>
/// <c>Storage:S3:RedirectReads</c>: blob GETs answered with 307 to a presigned URL of the object, and
/// real clients (skopeo, curl -L) following it to the S3 server.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BlobRedirectTests
{
    private static readonly Dictionary<string, string?> Redirecting = new()
    {
        ["Publish:Enabled"] = "false",
        ["Storage:S3:RedirectReads"] = "true",
    };

    [Fact]
    public async Task Blob_GET_answers_307_to_a_presigned_S3_URL_that_serves_the_bytes_and_ranges()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var replica = await cluster.StartInProcessAsync(Redirecting);
        using var http = new RegistryHttp(replica.BaseAddress);
        var content = Blobs.Random((5 << 20) + 777, seed: 71);
        var digest = Blobs.Digest(content);
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "redirect/app", content));
        using var noFollow = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = replica.BaseAddress };

        using var redirect = await noFollow.GetAsync($"v2/redirect/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        var s3 = new Uri(cluster.S3.ServiceUrl!);
        Assert.Equal((s3.Host, s3.Port), (location.Host, location.Port));
        Assert.Contains("X-Amz-Signature=", location.Query, StringComparison.Ordinal);
        Assert.Equal(digest, redirect.Headers.GetValues("Docker-Content-Digest").Single());

        // The URL works without any credentials of the registry's, whole and ranged.
        using var plain = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var direct = await plain.GetByteArrayAsync(location);
        Assert.True(content.AsSpan().SequenceEqual(direct), "the presigned URL served other bytes");
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"v2/redirect/app/blobs/{digest}");
        ranged.Headers.Range = new RangeHeaderValue(5 << 20, null);
        using var partial = await http.Client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        var tail = await partial.Content.ReadAsByteArrayAsync();
        Assert.True(content.AsSpan(5 << 20).SequenceEqual(tail), "a ranged GET through the redirect served other bytes");

        // curl -L, the way a script would fetch a blob.
        using var sandbox = new ToolSandbox();
        var file = sandbox.PathFor("blob.bin");
        var curl = await ProcessRunner.RunAsync("curl", "-sS", "-f", "-L", "-o", file, new Uri(replica.BaseAddress, $"v2/redirect/app/blobs/{digest}").AbsoluteUri);
        Assert.True(curl.Succeeded, curl.Describe());
        Assert.Equal(digest, Blobs.Digest(await File.ReadAllBytesAsync(file)));
    }

    [Fact]
    public async Task HEAD_conditional_GET_and_unknown_blobs_are_answered_by_the_registry_without_a_URL()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        var replica = await cluster.StartInProcessAsync(Redirecting);
        using var http = new RegistryHttp(replica.BaseAddress);
        var content = Blobs.Random(4096, seed: 72);
        var digest = Blobs.Digest(content);
        Assert.Equal(HttpStatusCode.Created, await Blobs.PushAsync(http, "redirect/one", content));
        using var noFollow = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = replica.BaseAddress };

        using var head = await noFollow.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"v2/redirect/one/blobs/{digest}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"v2/redirect/one/blobs/{digest}");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{digest}\""));
        using var notModified = await noFollow.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // Linked only to redirect/one: another repository gets BLOB_UNKNOWN, not a URL to the bytes.
        using var other = await noFollow.GetAsync($"v2/redirect/other/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Null(other.Headers.Location);
        Assert.Contains("BLOB_UNKNOWN", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skopeo_pulls_an_image_through_the_redirect_byte_for_byte()
    {
        await using var cluster = await ReplicaCluster.CreateAsync();
        IRegistryEndpoint replica = await cluster.StartInProcessAsync(Redirecting);
        using var sandbox = new ToolSandbox();
        var skopeo = new SkopeoClient(sandbox);
        var original = new OciLayout(sandbox.PathFor("original"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(original.Path, "v1");

        await skopeo.CopyAsync(original.Reference("v1"), replica.Docker("redirect/image:1.0"));
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(replica.Docker("redirect/image:1.0"), pulled.Reference("back"));

        Assert.Equal(manifest.Digest, pulled.Resolve("back").Digest);
        LayoutAssert.SameImage(original, pulled, manifest.Digest);
    }
}
