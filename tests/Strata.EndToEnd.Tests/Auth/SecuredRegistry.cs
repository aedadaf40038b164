using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Strata.EndToEnd.Tests.Infrastructure;
using Strata.Server.Hosting;

namespace Strata.EndToEnd.Tests.Auth;

/// <summary>
/// Strata in the test process with access control on (as shipped): a known administrator password,
/// a cheap KDF for fast logins, and admin helpers over the management API.
/// </summary>
public sealed class SecuredRegistry : IRegistryEndpoint, IAsyncDisposable
{
    public const string AdminPassword = "Admin-Passw0rd";
    public const string UserPassword = "User-Passw0rd";

    private readonly WebApplication _app;
    private readonly TempDirectory _data;
    private readonly HttpClient _http;

    private SecuredRegistry(WebApplication app, TempDirectory data)
    {
        _app = app;
        _data = data;
        BaseAddress = StrataServer.GetListeningUri(app);
        _http = new HttpClient { BaseAddress = BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + AdminPassword)));
    }

    public Uri BaseAddress { get; }

    public static async Task<SecuredRegistry> StartAsync()
    {
        var data = new TempDirectory("secured-registry");
        var app = StrataServer.Build([], new Dictionary<string, string?>
        {
            ["Data"] = data.Path,
            ["Listen"] = "127.0.0.1:0",
            ["Auth:AdminPassword"] = AdminPassword,
            ["Auth:PasswordIterations"] = "1000",
            ["Publish:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new SecuredRegistry(app, data);
    }

    public async Task<JsonNode?> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public Task CreateProjectAsync(string name, bool isPublic) => AdminAsync(HttpMethod.Post, "/api/v1/projects", new { name, @public = isPublic });

    public async Task CreateMemberAsync(string project, string username, string role)
    {
        if (await UserExistsAsync(username) is false)
        {
            await AdminAsync(HttpMethod.Post, "/api/v1/users", new { username, password = UserPassword });
        }

        await AdminAsync(HttpMethod.Post, $"/api/v1/projects/{project}/members", new { username, role });
    }

    /// <summary>A project-level robot with the given access; returns its name (robot$…) and secret.</summary>
    public async Task<(string Name, string Secret)> CreateRobotAsync(string project, string name, params string[] access)
    {
        var node = (await AdminAsync(HttpMethod.Post, $"/api/v1/projects/{project}/robots", new { name, permissions = new[] { new { access } } }))!;
        return (node["name"]!.GetValue<string>(), node["secret"]!.GetValue<string>());
    }

    private async Task<bool> UserExistsAsync(string username)
    {
        using var response = await _http.GetAsync($"/api/v1/users/{username}");
        return response.IsSuccessStatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        finally
        {
            _data.Dispose();
        }
    }
}
