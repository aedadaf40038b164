using System.Net;
using System.Text.Json.Nodes;
using Strata.Server.Tests.Publication;

namespace Strata.Server.Tests.Auth;

/// <summary>
/// Images of a private project never reach the (public) CernVM-FS repository unless a system
/// administrator enables it for that project; publication management is for administrators.
/// </summary>
public sealed class PrivacyAwarePublicationTests : IAsyncLifetime
{
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await AuthRegistry.StartAsync(new Dictionary<string, string?>
        {
            ["Publish:Enabled"] = "true",
            ["Publish:Repository"] = "unpacked.privacy.test",
            ["Publish:RegistryHost"] = "registry.test",
        });
        await _registry.CreateProjectAsync("open", isPublic: true);
        await _registry.CreateProjectAsync("closed", isPublic: false);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Private_project_images_are_published_only_after_an_administrator_allows_it()
    {
        await _registry.PushImageAsync("open/app", "v1", new LayerBuilder().File("etc/motd", "open\n").Gzip());
        await _registry.PushImageAsync("closed/app", "v1", new LayerBuilder().File("etc/motd", "closed\n").Gzip());

        Assert.Equal("published", await WaitForActionAsync("open/app:v1", null));
        Assert.Equal("removed", await WaitForActionAsync("closed/app:v1", null));

        // Consent (or making a project public) republishes the project's tags; taking it back removes them.
        await _registry.AdminAsync(HttpMethod.Patch, "/api/v1/projects/closed", "{\"publishPrivate\":true}");
        Assert.Equal("published", await WaitForActionAsync("closed/app:v1", "published"));
        await _registry.AdminAsync(HttpMethod.Patch, "/api/v1/projects/open", "{\"public\":false}");
        Assert.Equal("removed", await WaitForActionAsync("open/app:v1", "removed"));
    }

    [Fact]
    public async Task Only_a_project_admin_cannot_allow_private_publication()
    {
        await _registry.CreateUserAsync("owner");
        await _registry.AddMemberAsync("closed", "owner", "projectAdmin");
        var response = await _registry.JsonAsync(HttpMethod.Patch, "/api/v1/projects/closed", "{\"publishPrivate\":true}", AuthRegistry.Basic("owner", AuthRegistry.UserPassword));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False((await _registry.AdminAsync(HttpMethod.Get, "/api/v1/projects/closed"))!["publishPrivate"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Publication_management_needs_a_system_administrator()
    {
        await _registry.CreateUserAsync("plain");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _registry.SendAsync(HttpMethod.Get, "/api/v1/publications")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _registry.SendAsync(HttpMethod.Get, "/api/v1/publications", AuthRegistry.Basic("plain", AuthRegistry.UserPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _registry.JsonAsync(HttpMethod.Post, "/api/v1/publications", "{\"image\":\"open/app:v1\"}", AuthRegistry.Basic("plain", AuthRegistry.UserPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _registry.SendAsync(HttpMethod.Get, "/api/v1/publications", AuthRegistry.AdminCredentials)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/gc")]
    [InlineData("GET", "/api/v1/gc/usage")]
    [InlineData("GET", "/api/v1/gc/status")]
    [InlineData("POST", "/api/v1/gc?dryRun=true")]
    public async Task Garbage_collection_api_needs_a_system_administrator(string method, string path)
    {
        await _registry.CreateUserAsync("plain");
        var verb = new HttpMethod(method);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _registry.SendAsync(verb, path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _registry.SendAsync(verb, path, AuthRegistry.Basic("plain", AuthRegistry.UserPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _registry.SendAsync(verb, path, AuthRegistry.AdminCredentials)).StatusCode);
    }

    /// <summary>Polls (as administrator, bounded: 60 s) until the image's job ended successfully, optionally with a given action.</summary>
    private async Task<string> WaitForActionAsync(string image, string? action)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var response = await _registry.SendAsync(HttpMethod.Get, $"/api/v1/publications/status?image={image}", AuthRegistry.AdminCredentials);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                last = job.ToJsonString();
                var state = job["state"]!.GetValue<string>();
                Assert.NotEqual("failed", state);
                if (state == "succeeded" && job["result"]?["action"]?.GetValue<string>() is { } done && (action is null || done == action))
                {
                    return done;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"publication of {image} did not end within 60 s: {last}");
    }
}
