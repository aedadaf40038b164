using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// Thin helpers for the distribution API over a real <see cref="HttpClient"/>. Requests are built
/// the way the spec describes them (and the official conformance suite sends them); nothing here
/// hides a status code: helpers that "push" assert the success status, the rest return the raw
/// response for the test to judge. Response bodies are buffered, so they can be read repeatedly.
/// </summary>
public sealed class RegistryClient(HttpClient http)
{
    /// <summary>What a client that understands every manifest type asks for.</summary>
    public static readonly string[] ManifestAccept =
        [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];

    public HttpClient Http => http;

    public Uri BaseAddress => http.BaseAddress!;

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content = null, Action<HttpRequestMessage>? configure = null) =>
        SendAsync(method, Url(pathAndQuery), content, configure);

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, Uri uri, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        configure?.Invoke(request);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The response's Location, made absolute against the request URL (it may be relative).</summary>
    public static Uri Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        Assert.True(location is not null, "Response has no Location header: " + HttpAssert.DescribeAsync(response).GetAwaiter().GetResult());
        return location!.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    /// <summary>Adds a query parameter, keeping any the registry put in the URL (they may be critical).</summary>
    public static Uri WithQuery(Uri uri, string name, string value)
    {
        var builder = new UriBuilder(uri);
        var pair = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? pair : builder.Query.TrimStart('?') + "&" + pair;
        return builder.Uri;
    }

    public static ByteArrayContent Octets(byte[] data)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
        return content;
    }

    public static string ContentRange(long start, long length) =>
        string.Create(CultureInfo.InvariantCulture, $"{start}-{start + length - 1}");

    // ---- uploads (end-4a/4b/4c, end-5, end-6, end-11, end-13, end-14) ----

    public Task<HttpResponseMessage> PostUploadAsync(string repository, string? query = null, byte[]? body = null)
    {
        var path = $"/v2/{repository}/blobs/uploads/" + (query is null ? string.Empty : "?" + query);
        return SendAsync(HttpMethod.Post, path, Octets(body ?? []));
    }

    /// <summary>POST with <c>Content-Length: 0</c>, asserting 202 and a Location.</summary>
    public async Task<UploadSession> StartUploadAsync(string repository, string? query = null)
    {
        var response = await PostUploadAsync(repository, query);
        await HttpAssert.StatusAsync(response, HttpStatusCode.Accepted);
        var minLength = HttpAssert.Header(response, "OCI-Chunk-Min-Length");
        return new UploadSession(
            Location(response),
            HttpAssert.Header(response, "Docker-Upload-UUID"),
            minLength is null ? null : int.Parse(minLength, CultureInfo.InvariantCulture));
    }

    /// <summary>PATCH one chunk; with <paramref name="start"/> it carries <c>Content-Range: start-end</c>.</summary>
    public Task<HttpResponseMessage> PatchAsync(Uri location, byte[] chunk, long? start)
    {
        var content = Octets(chunk);
        if (start is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Range", ContentRange(start.Value, chunk.Length));
        }

        return SendAsync(HttpMethod.Patch, location, content);
    }

    /// <summary>PATCH the whole blob with chunked transfer encoding: no Content-Length, no Content-Range.</summary>
    public Task<HttpResponseMessage> PatchStreamedAsync(Uri location, byte[] data)
    {
        var content = new StreamedContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
        return SendAsync(HttpMethod.Patch, location, content);
    }

    /// <summary>The closing PUT <c>&lt;location&gt;?digest=</c>, optionally with a final chunk.</summary>
    public Task<HttpResponseMessage> PutUploadAsync(Uri location, string digest, byte[]? body = null, long? rangeStart = null)
    {
        var content = Octets(body ?? []);
        if (rangeStart is not null && body is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Range", ContentRange(rangeStart.Value, body.Length));
        }

        return SendAsync(HttpMethod.Put, WithQuery(location, "digest", digest), content);
    }

    public Task<HttpResponseMessage> UploadStatusAsync(Uri location) => SendAsync(HttpMethod.Get, location);

    public Task<HttpResponseMessage> CancelUploadAsync(Uri location) => SendAsync(HttpMethod.Delete, location, Octets([]));

    /// <summary>Pushes with POST then PUT (the upload every registry must support); asserts 201.</summary>
    public async Task<string> PushBlobAsync(string repository, TestBlob blob)
    {
        var algorithm = blob.Digest[..blob.Digest.IndexOf(':', StringComparison.Ordinal)];
        var session = await StartUploadAsync(repository, algorithm == Digests.Sha256 ? null : "digest-algorithm=" + algorithm);
        var response = await PutUploadAsync(session.Location, blob.Digest, blob.Content);
        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        return blob.Digest;
    }

    public async Task PushBlobsAsync(string repository, params IEnumerable<TestBlob> blobs)
    {
        foreach (var blob in blobs)
        {
            await PushBlobAsync(repository, blob);
        }
    }

    // ---- blobs (end-2, end-10) ----

    public Task<HttpResponseMessage> GetBlobAsync(string repository, string digest, string? range = null) =>
        SendAsync(HttpMethod.Get, $"/v2/{repository}/blobs/{digest}", configure: request =>
        {
            if (range is not null)
            {
                request.Headers.TryAddWithoutValidation("Range", range);
            }
        });

    public Task<HttpResponseMessage> HeadBlobAsync(string repository, string digest) =>
        SendAsync(HttpMethod.Head, $"/v2/{repository}/blobs/{digest}");

    public Task<HttpResponseMessage> DeleteBlobAsync(string repository, string digest) =>
        SendAsync(HttpMethod.Delete, $"/v2/{repository}/blobs/{digest}");

    // ---- manifests (end-3, end-7, end-9) ----

    public Task<HttpResponseMessage> PutManifestAsync(
        string repository, string reference, byte[] body, string mediaType, string? query = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        var path = $"/v2/{repository}/manifests/{reference}" + (query is null ? string.Empty : "?" + query);
        return SendAsync(HttpMethod.Put, path, content);
    }

    /// <summary>Pushes a manifest, asserting 201; returns what was pushed.</summary>
    public async Task<PushedManifest> PushManifestAsync(string repository, string reference, byte[] body, string mediaType)
    {
        var response = await PutManifestAsync(repository, reference, body, mediaType);
        await HttpAssert.StatusAsync(response, HttpStatusCode.Created);
        var algorithm = reference.StartsWith(Digests.Sha512 + ":", StringComparison.Ordinal) ? Digests.Sha512 : Digests.Sha256;
        return new PushedManifest(repository, body, Digests.Of(body, algorithm), mediaType);
    }

    public Task<HttpResponseMessage> GetManifestAsync(string repository, string reference) =>
        SendAsync(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}", configure: AcceptManifests);

    public Task<HttpResponseMessage> HeadManifestAsync(string repository, string reference) =>
        SendAsync(HttpMethod.Head, $"/v2/{repository}/manifests/{reference}", configure: AcceptManifests);

    public Task<HttpResponseMessage> DeleteManifestAsync(string repository, string reference) =>
        SendAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{reference}");

    /// <summary>
    /// Pushes config and layers (POST+PUT) and an OCI image manifest, by tag when one is given and
    /// by digest otherwise.
    /// </summary>
    public async Task<PushedImage> PushImageAsync(
        string repository,
        string? tag = null,
        int layerCount = 1,
        Descriptor? subject = null,
        string? artifactType = null,
        IReadOnlyDictionary<string, string>? annotations = null,
        bool emptyConfig = false,
        string layerMediaType = MediaTypes.OciLayerGzip,
        string algorithm = Digests.Sha256)
    {
        var config = emptyConfig ? TestBlob.EmptyJson(algorithm) : TestBlob.ImageConfig(algorithm: algorithm);
        var layers = Enumerable.Range(0, layerCount).Select(_ => TestBlob.Random(1024 + Random.Shared.Next(1024), algorithm)).ToList();
        await PushBlobAsync(repository, config);
        foreach (var layer in layers)
        {
            await PushBlobAsync(repository, layer);
        }

        var body = ManifestJson.OciManifest(
            config.Describe(emptyConfig ? MediaTypes.OciEmpty : MediaTypes.OciConfig),
            [.. layers.Select(l => l.Describe(layerMediaType))],
            subject,
            artifactType,
            annotations);
        var digest = Digests.Of(body, algorithm);
        var pushed = await PushManifestAsync(repository, tag ?? digest, body, MediaTypes.OciManifest);
        return new PushedImage(repository, pushed.Content, pushed.Digest, pushed.MediaType, config, layers);
    }

    /// <summary>Pushes an OCI index over manifests already in the repository.</summary>
    public async Task<PushedManifest> PushIndexAsync(
        string repository,
        IReadOnlyList<Descriptor> manifests,
        string? tag = null,
        Descriptor? subject = null,
        string? artifactType = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var body = ManifestJson.OciIndex(manifests, subject, artifactType, annotations);
        return await PushManifestAsync(repository, tag ?? Digests.Of(body), body, MediaTypes.OciIndex);
    }

    // ---- discovery (end-8, end-12, catalog) ----

    public Task<HttpResponseMessage> ListTagsAsync(string repository, string? query = null) =>
        SendAsync(HttpMethod.Get, $"/v2/{repository}/tags/list" + (query is null ? string.Empty : "?" + query));

    public Task<HttpResponseMessage> ReferrersAsync(string repository, string digest, string? artifactType = null) =>
        SendAsync(HttpMethod.Get, $"/v2/{repository}/referrers/{digest}"
            + (artifactType is null ? string.Empty : "?artifactType=" + Uri.EscapeDataString(artifactType)));

    public Task<HttpResponseMessage> CatalogAsync(string? query = null) =>
        SendAsync(HttpMethod.Get, "/v2/_catalog" + (query is null ? string.Empty : "?" + query));

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var mediaType in ManifestAccept)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }
    }
}
