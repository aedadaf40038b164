using System.Net;
using System.Text.Json;

namespace Strata.Server.Tests.Auth;

/// <summary>Deleted users, changed passwords, rotated or deleted robot secrets and expired or disabled robots are refused at once, tokens included.</summary>
public sealed class RevocationTests : IAsyncLifetime
{
    private const string Scope = "repository:team/app:pull";
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await AuthRegistry.StartAsync();
        await _registry.CreateProjectAsync("team", isPublic: false);
        await _registry.PushImageAsync("team/app", "1");
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    private async Task<HttpStatusCode> PullAsync(System.Net.Http.Headers.AuthenticationHeaderValue credentials) =>
        (await _registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", credentials)).StatusCode;

    [Fact]
    public async Task Deleted_user_is_refused_at_once_with_its_password_and_its_token()
    {
        await _registry.CreateUserAsync("leaver");
        await _registry.AddMemberAsync("team", "leaver", "guest");
        var basic = AuthRegistry.Basic("leaver", AuthRegistry.UserPassword);
        var token = AuthRegistry.Bearer(await _registry.TokenAsync(basic, Scope));
        Assert.Equal(HttpStatusCode.OK, await PullAsync(basic));
        Assert.Equal(HttpStatusCode.OK, await PullAsync(token));

        await _registry.AdminAsync(HttpMethod.Delete, "/api/v1/users/leaver");

        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(basic));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(token));
    }

    [Fact]
    public async Task Password_change_revokes_the_old_password_and_tokens()
    {
        await _registry.CreateUserAsync("changer");
        await _registry.AddMemberAsync("team", "changer", "guest");
        var old = AuthRegistry.Basic("changer", AuthRegistry.UserPassword);
        var token = AuthRegistry.Bearer(await _registry.TokenAsync(old, Scope));

        var wrongCurrent = await _registry.JsonAsync(HttpMethod.Put, "/api/v1/users/changer/password",
            "{\"currentPassword\":\"Not-The-0ne\",\"newPassword\":\"New-Passw0rd\"}", old);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCurrent.StatusCode);
        var changed = await _registry.JsonAsync(HttpMethod.Put, "/api/v1/users/changer/password",
            JsonSerializer.Serialize(new { currentPassword = AuthRegistry.UserPassword, newPassword = "New-Passw0rd" }), old);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(old));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(token));
        Assert.Equal(HttpStatusCode.OK, await PullAsync(AuthRegistry.Basic("changer", "New-Passw0rd")));
    }

    [Fact]
    public async Task Rotated_robot_secret_revokes_the_old_secret_and_its_tokens()
    {
        var (name, secret, id) = await _registry.CreateRobotAsync("rotating", "team", "[{\"access\":[\"repository:pull\"]}]");
        var old = AuthRegistry.Basic(name, secret);
        var token = AuthRegistry.Bearer(await _registry.TokenAsync(old, Scope));
        Assert.Equal(HttpStatusCode.OK, await PullAsync(token));

        var rotated = (await _registry.AdminAsync(HttpMethod.Post, $"/api/v1/robots/{id}/secret"))!;
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.NotEqual(secret, newSecret);

        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(old));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(token));
        Assert.Equal(HttpStatusCode.OK, await PullAsync(AuthRegistry.Basic(name, newSecret)));

        // The secret is shown once: never again in a robot's view.
        var view = (await _registry.AdminAsync(HttpMethod.Get, $"/api/v1/robots/{id}"))!.ToJsonString();
        Assert.DoesNotContain(newSecret, view);
        Assert.DoesNotContain("secret", view, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Disabled_deleted_and_expired_robots_are_refused_at_once()
    {
        var (name, secret, id) = await _registry.CreateRobotAsync("temporary", "team", "[{\"access\":[\"repository:pull\"]}]");
        var basic = AuthRegistry.Basic(name, secret);
        var token = AuthRegistry.Bearer(await _registry.TokenAsync(basic, Scope));

        await _registry.AdminAsync(HttpMethod.Patch, $"/api/v1/robots/{id}", "{\"disabled\":true}");
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(basic));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(token));
        await _registry.AdminAsync(HttpMethod.Patch, $"/api/v1/robots/{id}", "{\"disabled\":false}");
        Assert.Equal(HttpStatusCode.OK, await PullAsync(token));

        await _registry.AdminAsync(HttpMethod.Delete, $"/api/v1/robots/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(basic));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(token));
    }

    [Fact]
    public async Task Expired_robot_is_refused()
    {
        // The API cannot set an expiry in the past, so the robot's expiry is moved in the store, standing
        // for time passing. A store edit bypasses this process's change counter, so this registry looks
        // everything up on every request (StateCacheDuration 0); a cached robot's own expiry is checked on
        // every hit anyway (Cached_robot_past_its_expiry_is_refused).
        await using var registry = await AuthRegistry.StartAsync(new Dictionary<string, string?> { ["Auth:StateCacheDuration"] = "00:00:00" });
        await registry.CreateProjectAsync("team", isPublic: false);
        await registry.PushImageAsync("team/app", "1");
        var (name, secret, id) = await registry.CreateRobotAsync("shortlived", "team", "[{\"access\":[\"repository:pull\"]}]", duration: 1);
        var basic = AuthRegistry.Basic(name, secret);
        var token = AuthRegistry.Bearer(await registry.TokenAsync(basic, Scope));
        Assert.Equal(HttpStatusCode.OK, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", basic)).StatusCode);
        var store = (Strata.Metadata.Contracts.Identity.IIdentityStore)registry.Services.GetService(typeof(Strata.Metadata.Contracts.Identity.IIdentityStore))!;
        await store.UpdateRobotAsync(id, new(null, null, DateTimeOffset.UtcNow.AddSeconds(-1), false, null), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", basic)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", token)).StatusCode);
    }

    [Fact]
    public async Task Removed_member_loses_Basic_access_at_once_and_token_access_when_the_token_expires()
    {
        await _registry.CreateUserAsync("visitor");
        await _registry.AddMemberAsync("team", "visitor", "guest");
        var basic = AuthRegistry.Basic("visitor", AuthRegistry.UserPassword);
        Assert.Equal(HttpStatusCode.OK, await PullAsync(basic));

        await _registry.AdminAsync(HttpMethod.Delete, "/api/v1/projects/team/members/visitor");

        Assert.Equal(HttpStatusCode.Forbidden, await PullAsync(basic));
        var token = await _registry.TokenAsync(basic, Scope);
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(AuthRegistry.Bearer(token)));
    }
}
