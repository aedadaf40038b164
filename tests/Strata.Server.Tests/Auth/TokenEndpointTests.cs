using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Identity.Passwords;

namespace Strata.Server.Tests.Auth;

/// <summary>The token service: both request forms, requested ∩ permitted, anonymous tokens, refusals.</summary>
public sealed class TokenEndpointTests : IAsyncLifetime
{
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await AuthRegistry.StartAsync(new Dictionary<string, string?> { ["Auth:LoginFailureLimit"] = "3" });
        await _registry.CreateProjectAsync("team", isPublic: false);
        await _registry.CreateProjectAsync("open", isPublic: true);
        await _registry.CreateUserAsync("dev");
        await _registry.AddMemberAsync("team", "dev", "developer");
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private static JsonArray Access(string token)
    {
        var payload = token.Split('.')[1];
        Assert.True(Base64Url.TryDecode(payload, out var bytes));
        return JsonNode.Parse(Encoding.UTF8.GetString(bytes))!["access"]!.AsArray();
    }

    private static string Describe(JsonArray access) =>
        string.Join(' ', access.Select(a => $"{a!["type"]}:{a["name"]}:{string.Join(',', a["actions"]!.AsArray().Select(x => x!.GetValue<string>()))}"));

    [Fact]
    public async Task Get_with_Basic_grants_the_requested_actions_that_are_permitted()
    {
        var response = await _registry.SendAsync(HttpMethod.Get,
            "/service/token?service=strata&scope=repository:team/app:pull,push,delete&scope=repository:open/x:pull,push&scope=repository:elsewhere/y:pull",
            AuthRegistry.Basic("dev", AuthRegistry.UserPassword));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(body["token"]!.GetValue<string>(), body["access_token"]!.GetValue<string>());
        Assert.Equal(300, body["expires_in"]!.GetValue<int>());
        Assert.True(DateTimeOffset.TryParse(body["issued_at"]!.GetValue<string>(), out _));
        Assert.Equal("repository:team/app:pull,push repository:open/x:pull", Describe(Access(body["token"]!.GetValue<string>())));
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Anonymous_token_grants_pull_on_public_projects_only()
    {
        var token = await _registry.TokenAsync(null, "repository:open/x:pull,push", "repository:team/app:pull");
        Assert.Equal("repository:open/x:pull", Describe(Access(token)));
    }

    [Fact]
    public async Task Oauth2_password_grant_returns_access_and_refresh_tokens_and_refresh_works()
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "dev", ["password"] = AuthRegistry.UserPassword, ["service"] = "strata",
            ["client_id"] = "containerd-client", ["scope"] = "repository:team/app:pull,push repository:open/x:pull", ["access_type"] = "offline",
        });
        var response = await _registry.SendAsync(HttpMethod.Post, "/service/token", null, form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("repository:team/app:pull,push repository:open/x:pull", body["scope"]!.GetValue<string>());
        var refresh = body["refresh_token"]!.GetValue<string>();

        var again = await _registry.SendAsync(HttpMethod.Post, "/service/token", null, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "containerd-client", ["scope"] = "repository:team/app:pull",
        }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var token = JsonNode.Parse(await again.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        Assert.Equal("repository:team/app:pull", Describe(Access(token)));

        // A refresh token is not an access token.
        var misuse = await _registry.SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", AuthRegistry.Bearer(refresh));
        Assert.Equal(HttpStatusCode.Unauthorized, misuse.StatusCode);
    }

    [Theory]
    [InlineData("grant_type=password&username=dev&password=x", "client_id is required")]
    [InlineData("grant_type=magic&client_id=c", "grant_type must be password or refresh_token")]
    [InlineData("grant_type=password&client_id=c", "username and password are required")]
    [InlineData("grant_type=refresh_token&client_id=c&refresh_token=junk", "malformed token")]
    [InlineData("grant_type=password&client_id=c&username=dev&password=x&service=other", "unknown service")]
    public async Task Oauth2_form_errors_are_clear(string form, string message)
    {
        var response = await _registry.SendAsync(HttpMethod.Post, "/service/token", null, new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.True((int)response.StatusCode is 400 or 401, $"{(int)response.StatusCode}");
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("scope=repository")]
    [InlineData("scope=repository:team/app")]
    [InlineData("service=docker.io")]
    public async Task Get_with_a_malformed_request_is_a_400(string query)
    {
        var response = await _registry.SendAsync(HttpMethod.Get, "/service/token?" + query, AuthRegistry.Basic("dev", AuthRegistry.UserPassword));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_is_401_and_repeated_failures_lock_the_account_with_429()
    {
        await _registry.CreateUserAsync("victim");
        for (var i = 0; i < 3; i++)
        {
            var wrong = await _registry.SendAsync(HttpMethod.Get, "/service/token?service=strata", AuthRegistry.Basic("victim", "Wrong-Passw0rd" + i));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Basic realm=", wrong.Headers.WwwAuthenticate.ToString());
        }

        var locked = await _registry.SendAsync(HttpMethod.Get, "/service/token?service=strata", AuthRegistry.Basic("victim", AuthRegistry.UserPassword));
        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter is not null);

        var registryLocked = await _registry.SendAsync(HttpMethod.Get, "/v2/", AuthRegistry.Basic("victim", AuthRegistry.UserPassword));
        Assert.Equal((HttpStatusCode)429, registryLocked.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_is_refused_like_a_wrong_password()
    {
        var response = await _registry.SendAsync(HttpMethod.Get, "/service/token?service=strata", AuthRegistry.Basic("ghost", "Any-Passw0rd"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid username or password", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bearer_with_a_token_for_another_repository_gets_an_insufficient_scope_challenge()
    {
        var token = await _registry.TokenAsync(AuthRegistry.Basic("dev", AuthRegistry.UserPassword), "repository:team/other:pull");
        var response = await _registry.SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", AuthRegistry.Bearer(token));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("scope=\"repository:team/app:pull\"", challenge);
        Assert.Contains("error=\"insufficient_scope\"", challenge);
        Assert.Contains("UNAUTHORIZED", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")]
    [InlineData("Basic !!!")]
    [InlineData("Negotiate abc")]
    public async Task Malformed_credentials_on_the_registry_are_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        var response = await _registry.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
