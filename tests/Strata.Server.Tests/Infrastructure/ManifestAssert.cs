using System.Net;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// The checks the official suite makes around every manifest push and pull (api.go
/// <c>ManifestPut</c>, <c>ManifestGetExists</c>, <c>ManifestHeadExists</c>): 201 with a Location that
/// serves the same bytes, and GET/HEAD answering 200 with the pushed bytes, the pushed Content-Type,
/// the exact Content-Length and the digest.
/// </summary>
public static class ManifestAssert
{
    public static async Task CreatedAsync(RegistryClient client, HttpResponseMessage put, PushedManifest expected)
    {
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        // "The Docker-Content-Digest header MUST contain the digest of the uploaded manifest"
        // (required at OCI_VERSION=dev).
        await HttpAssert.HeaderEqualAsync(put, "Docker-Content-Digest", expected.Digest);
        var location = await client.SendAsync(HttpMethod.Get, RegistryClient.Location(put), configure: request =>
        {
            foreach (var mediaType in RegistryClient.ManifestAccept)
            {
                request.Headers.Accept.ParseAdd(mediaType);
            }
        });
        await AssertBodyAsync(location, expected);
    }

    /// <summary>GET and HEAD of <paramref name="reference"/> serve exactly <paramref name="expected"/>.</summary>
    public static async Task ServedAsync(RegistryClient client, string repository, string reference, PushedManifest expected)
    {
        var get = await client.GetManifestAsync(repository, reference);
        await AssertBodyAsync(get, expected);

        var head = await client.HeadManifestAsync(repository, reference);
        await HttpAssert.StatusAsync(head, HttpStatusCode.OK);
        await HttpAssert.HeaderEqualAsync(head, "Content-Type", expected.MediaType);
        Assert.True(head.Content.Headers.ContentLength == expected.Size,
            $"HEAD Content-Length must be {expected.Size}:\n{await HttpAssert.DescribeAsync(head)}");
        await HttpAssert.HeaderEqualAsync(head, "Docker-Content-Digest", expected.Digest);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    public static async Task AbsentAsync(RegistryClient client, string repository, string reference)
    {
        var get = await client.GetManifestAsync(repository, reference);
        await HttpAssert.ErrorAsync(get, HttpStatusCode.NotFound, "MANIFEST_UNKNOWN", "NAME_UNKNOWN");
        var head = await client.HeadManifestAsync(repository, reference);
        await HttpAssert.StatusAsync(head, HttpStatusCode.NotFound);
    }

    private static async Task AssertBodyAsync(HttpResponseMessage response, PushedManifest expected)
    {
        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        var body = await response.Content.ReadAsByteArrayAsync();
        // "The registry MUST store the manifest in the exact byte representation provided by the client".
        Assert.True(body.AsSpan().SequenceEqual(expected.Content),
            $"Manifest bytes differ from the bytes pushed ({body.Length} vs {expected.Size}):\n{await HttpAssert.DescribeAsync(response)}");
        await HttpAssert.HeaderEqualAsync(response, "Content-Type", expected.MediaType);
        Assert.True(response.Content.Headers.ContentLength == expected.Size,
            $"Content-Length must be {expected.Size}:\n{await HttpAssert.DescribeAsync(response)}");
        await HttpAssert.HeaderEqualAsync(response, "Docker-Content-Digest", expected.Digest);
    }
}
