using System.Net;
using System.Net.Http.Headers;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The OCI distribution API spoken directly with HttpClient, for what the clients cannot be made
/// to do on purpose (stop mid-upload, resume after a crash, stream half a gigabyte).
/// </summary>
public sealed class RegistryHttp(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(3),
    };

    public HttpClient Client => _client;

    /// <summary>POST /v2/NAME/blobs/uploads/ → the session's absolute location.</summary>
    public async Task<Uri> StartUploadAsync(string name)
    {
        using var response = await _client.PostAsync($"v2/{name}/blobs/uploads/", content: null);
        await ExpectAsync(response, HttpStatusCode.Accepted);
        return Location(response);
    }

    /// <summary>PATCH a chunk with <c>Content-Range: start-end</c> (inclusive); returns the new location.</summary>
    public async Task<Uri> PatchChunkAsync(Uri location, byte[] chunk, long start)
    {
        using var content = new ByteArrayContent(chunk);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + chunk.Length - 1}");
        using var response = await _client.SendAsync(request);
        await ExpectAsync(response, HttpStatusCode.Accepted);
        return Location(response);
    }

    /// <summary>GET the upload's status (end-13): how many bytes the registry holds, from <c>Range: 0-LAST</c>.</summary>
    public async Task<(Uri Location, long LastByte)> UploadStatusAsync(Uri location)
    {
        using var response = await _client.GetAsync(location);
        await ExpectAsync(response, HttpStatusCode.NoContent);
        var range = response.Headers.TryGetValues("Range", out var values) ? values.Single() : null;
        Assert.True(range is not null && range.StartsWith("0-", StringComparison.Ordinal), $"upload status without Range: 0-N:\n{await DescribeAsync(response)}");
        return (Location(response), long.Parse(range![2..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>PUT ?digest= with no body: closes the upload.</summary>
    public async Task CompleteUploadAsync(Uri location, string digest)
    {
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{location}{separator}digest={Uri.EscapeDataString(digest)}");
        using var response = await _client.SendAsync(request);
        await ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>GET /v2/NAME/manifests/REFERENCE, accepting every manifest kind.</summary>
    public Task<HttpResponseMessage> GetManifestAsync(string name, string reference)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{name}/manifests/{reference}");
        foreach (var type in MediaTypes.AllManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        return _client.SendAsync(request);
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {(int)expected} {expected}, got:\n{await DescribeAsync(response)}");
        }
    }

    public static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var request = response.RequestMessage;
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
        var body = await response.Content.ReadAsStringAsync();
        return $"{request?.Method} {request?.RequestUri}\n{(int)response.StatusCode} {response.ReasonPhrase}\n{headers}\n\n{(body.Length > 2000 ? body[..2000] + "…" : body)}";
    }

    public void Dispose() => _client.Dispose();

    private Uri Location(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        Assert.True(location is not null, "response without Location");
        return location!.IsAbsoluteUri ? location : new Uri(_client.BaseAddress!, location);
    }
}
