using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>Requests to a replica with access control on: management calls, tokens, pulls.</summary>
public sealed class AuthHttp(IRegistryEndpoint replica) : IDisposable
{
    private const string ManifestAccept = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>A management API call that must succeed; its JSON answer (null when empty).</summary>
    public async Task<JsonNode?> ApiAsync(HttpMethod method, string path, AuthenticationHeaderValue credentials, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = credentials;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} on {replica.BaseAddress}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    /// <summary>GET /service/token with Basic credentials: the status and, on 200, the token.</summary>
    public async Task<(HttpStatusCode Status, string? Token)> TokenAsync(AuthenticationHeaderValue credentials, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/service/token?service=strata&scope={Uri.EscapeDataString(scope)}");
        request.Headers.Authorization = credentials;
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? (response.StatusCode, JsonNode.Parse(body)!["token"]!.GetValue<string>()) : (response.StatusCode, null);
    }

    /// <summary>The status of a manifest GET with these credentials.</summary>
    public async Task<HttpStatusCode> PullManifestAsync(string repository, string reference, AuthenticationHeaderValue credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{repository}/manifests/{reference}");
        request.Headers.Authorization = credentials;
        request.Headers.TryAddWithoutValidation("Accept", ManifestAccept);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Polls until <paramref name="probe"/> answers <paramref name="expected"/>; how long that took.
    /// Fails after <paramref name="giveUp"/>.
    /// </summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<HttpStatusCode>> probe, HttpStatusCode expected, TimeSpan giveUp)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode last;
        while ((last = await probe()) != expected)
        {
            Assert.True(clock.Elapsed < giveUp, $"still {(int)last} instead of {(int)expected} after {clock.Elapsed.TotalSeconds:F1} s");
            await Task.Delay(100);
        }

        return clock.Elapsed;
    }

    public void Dispose() => _client.Dispose();
}
