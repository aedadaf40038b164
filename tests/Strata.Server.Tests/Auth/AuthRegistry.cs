using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Strata.Server.Hosting;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Auth;

/// <summary>
/// Strata with access control on (as shipped), in process on a free port, with a known
/// administrator password and a cheap KDF (1,000 iterations instead of 600,000, so tests log in
/// fast), every log line captured, and helpers that go through the real HTTP API only.
/// </summary>
public sealed class AuthRegistry : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Admin-Passw0rd";
    public const string UserPassword = "User-Passw0rd";

    private readonly WebApplication _app;

    private AuthRegistry(WebApplication app, string data, CapturedLogs logs)
    {
        _app = app;
        DataDirectory = data;
        Logs = logs;
        BaseAddress = StrataServer.GetListeningUri(app);
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AuthRegistry> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "strata-auth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Data"] = data,
            ["Listen"] = "127.0.0.1:0",
            ["Auth:AdminPassword"] = AdminPassword,
            ["Auth:PasswordIterations"] = "1000",
            ["Publish:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = StrataServer.Build([], settings);
        var logs = new CapturedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync();
        return new AuthRegistry(app, data, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public static AuthenticationHeaderValue AdminCredentials => Basic(AdminUser, AdminPassword);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? credentials = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = credentials;
        var response = await Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public Task<HttpResponseMessage> JsonAsync(HttpMethod method, string path, string json, AuthenticationHeaderValue? credentials) =>
        SendAsync(method, path, credentials, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Sends as the administrator and asserts success.</summary>
    public async Task<JsonNode?> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        var response = json is null ? await SendAsync(method, path, AdminCredentials) : await JsonAsync(method, path, json, AdminCredentials);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} as admin: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    public Task CreateUserAsync(string username, bool admin = false) =>
        AdminAsync(HttpMethod.Post, "/api/v1/users", JsonSerializer.Serialize(new { username, password = UserPassword, isAdmin = admin }));

    public Task CreateProjectAsync(string name, bool isPublic) =>
        AdminAsync(HttpMethod.Post, "/api/v1/projects", JsonSerializer.Serialize(new { name, @public = isPublic }));

    public Task AddMemberAsync(string project, string username, string role) =>
        AdminAsync(HttpMethod.Post, $"/api/v1/projects/{project}/members", JsonSerializer.Serialize(new { username, role }));

    /// <summary>Creates a robot (system-level when <paramref name="project"/> is null) and returns its full name and secret.</summary>
    public async Task<(string Name, string Secret, long Id)> CreateRobotAsync(string name, string? project, string grantsJson, int? duration = null)
    {
        var path = project is null ? "/api/v1/robots" : $"/api/v1/projects/{project}/robots";
        var durationJson = duration is null ? "" : $",\"duration\":{duration}";
        var node = (await AdminAsync(HttpMethod.Post, path, $"{{\"name\":\"{name}\",\"permissions\":{grantsJson}{durationJson}}}"))!;
        return (node["name"]!.GetValue<string>(), node["secret"]!.GetValue<string>(), node["id"]!.GetValue<long>());
    }

    /// <summary>A token from the GET endpoint (anonymous when <paramref name="credentials"/> is null).</summary>
    public async Task<string> TokenAsync(AuthenticationHeaderValue? credentials, params string[] scopes)
    {
        var query = string.Join('&', scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        var response = await SendAsync(HttpMethod.Get, $"/service/token?service=strata&{query}", credentials);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["token"]!.GetValue<string>();
    }

    /// <summary>Pushes a one-layer image as the administrator and returns its manifest digest.</summary>
    public async Task<(string ManifestDigest, TestBlob Layer)> PushImageAsync(string repository, string tag, byte[]? layerContent = null)
    {
        var config = TestBlob.ImageConfig();
        var layer = layerContent is null ? TestBlob.Random(512) : TestBlob.From(layerContent);
        foreach (var blob in new[] { config, layer })
        {
            var upload = await SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={blob.Digest}", AdminCredentials, RegistryClient.Octets(blob.Content));
            Assert.True(upload.StatusCode == HttpStatusCode.Created, await HttpAssert.DescribeAsync(upload));
        }

        var manifest = ManifestJson.OciManifest(config.Describe(MediaTypes.OciConfig), [layer.Describe(MediaTypes.OciLayerGzip)]);
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
        var put = await SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}", AdminCredentials, content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await HttpAssert.DescribeAsync(put));
        return (Digests.Of(manifest), layer);
    }
}
