using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Server.Tests.Auth;

/// <summary>
/// With every log level on, a session that logs in every way (Basic, tokens, OAuth2 with refresh,
/// robots, a wrong password, a password change, a secret rotation) leaves no password, secret or
/// token in any log line.
/// </summary>
public sealed class SecretsNeverLoggedTests
{
    [Fact]
    public async Task No_password_secret_or_token_appears_in_the_logs()
    {
        await using var registry = await AuthRegistry.StartAsync();
        var secrets = new List<string> { AuthRegistry.AdminPassword, AuthRegistry.UserPassword, "Wrong-Passw0rd-42", "Changed-Passw0rd" };
        await registry.CreateProjectAsync("team", isPublic: false);
        await registry.CreateUserAsync("alice");
        await registry.AddMemberAsync("team", "alice", "developer");
        await registry.PushImageAsync("team/app", "1");
        var alice = AuthRegistry.Basic("alice", AuthRegistry.UserPassword);

        var token = await registry.TokenAsync(alice, "repository:team/app:pull,push");
        secrets.Add(token);
        Assert.Equal(HttpStatusCode.OK, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", AuthRegistry.Bearer(token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.SendAsync(HttpMethod.Get, "/v2/", AuthRegistry.Basic("alice", "Wrong-Passw0rd-42"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.SendAsync(HttpMethod.Get, "/service/token", AuthRegistry.Basic("alice", "Wrong-Passw0rd-42"))).StatusCode);

        var oauth = await registry.SendAsync(HttpMethod.Post, "/service/token", null, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "alice", ["password"] = AuthRegistry.UserPassword,
            ["client_id"] = "test", ["scope"] = "repository:team/app:pull", ["access_type"] = "offline",
        }));
        var body = JsonNode.Parse(await oauth.Content.ReadAsStringAsync())!;
        secrets.Add(body["access_token"]!.GetValue<string>());
        secrets.Add(body["refresh_token"]!.GetValue<string>());

        var (robot, robotSecret, robotId) = await registry.CreateRobotAsync("ci", "team", "[{\"access\":[\"repository:pull\"]}]");
        secrets.Add(robotSecret);
        var robotToken = await registry.TokenAsync(AuthRegistry.Basic(robot, robotSecret), "repository:team/app:pull");
        secrets.Add(robotToken);
        Assert.Equal(HttpStatusCode.OK, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", AuthRegistry.Bearer(robotToken))).StatusCode);
        var rotated = (await registry.AdminAsync(HttpMethod.Post, $"/api/v1/robots/{robotId}/secret"))!["secret"]!.GetValue<string>();
        secrets.Add(rotated);
        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/tags/list", AuthRegistry.Bearer(robotToken))).StatusCode);

        var change = await registry.JsonAsync(HttpMethod.Put, "/api/v1/users/alice/password",
            JsonSerializer.Serialize(new { currentPassword = AuthRegistry.UserPassword, newPassword = "Changed-Passw0rd" }), alice);
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        Assert.NotEmpty(registry.Logs.Lines);
        foreach (var line in registry.Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"a secret appears in the log: {line}");
            }
        }

        // Secrets are not stored in the audit log either.
        var audit = (await registry.AdminAsync(HttpMethod.Get, "/api/v1/audit-logs?limit=1000"))!.ToJsonString();
        Assert.All(secrets, s => Assert.DoesNotContain(s, audit));
    }
}
