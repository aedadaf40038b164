using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Server.Tests.Auth;

/// <summary>
/// Bad input to every identity endpoint (malformed JSON, wrong types, unknown fields, oversize
/// fields and bodies, invalid names and roles, unknown ids) gets a 4xx problem with a message that
/// says what is wrong, and changes nothing (the state is compared before and after).
/// </summary>
public sealed class ManagementBadInputTests : IAsyncLifetime
{
    private AuthRegistry _registry = null!;
    private long _robotId;

    public async Task InitializeAsync()
    {
        _registry = await AuthRegistry.StartAsync();
        await _registry.CreateProjectAsync("team", isPublic: false);
        await _registry.CreateUserAsync("alice");
        await _registry.AddMemberAsync("team", "alice", "developer");
        (_, _, _robotId) = await _registry.CreateRobotAsync("ci", "team", "[{\"access\":[\"repository:pull\"]}]");
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // method, path, body, expected status, expected text in the message
        { "POST", "/api/v1/users", "{", 400, "not valid JSON" },
        { "POST", "/api/v1/users", "", 400, "JSON body is required" },
        { "POST", "/api/v1/users", "null", 400, "JSON object" },
        { "POST", "/api/v1/users", "[]", 400, "not valid JSON" },
        { "POST", "/api/v1/users", "{\"username\":\"bob\",\"password\":\"Good-Passw0rd\",\"admin\":true}", 400, "admin" },
        { "POST", "/api/v1/users", "{\"username\":5,\"password\":\"Good-Passw0rd\"}", 400, "not valid JSON" },
        { "POST", "/api/v1/users", "{\"username\":\"robot$x\",\"password\":\"Good-Passw0rd\"}", 400, "username must be" },
        { "POST", "/api/v1/users", "{\"username\":\"bob\",\"password\":\"weak\"}", 400, "password must be" },
        { "POST", "/api/v1/users", "{\"username\":\"bob\",\"password\":\"Good-Passw0rd\",\"email\":\"" + new string('e', 300) + "\"}", 400, "email must be at most" },
        { "POST", "/api/v1/users", "{\"username\":\"" + new string('u', 100) + "\",\"password\":\"Good-Passw0rd\"}", 400, "username must be" },
        { "POST", "/api/v1/users", "{\"username\":\"alice\",\"password\":\"Good-Passw0rd\"}", 409, "already exists" },
        { "PATCH", "/api/v1/users/nobody", "{\"email\":\"x@y\"}", 404, "does not exist" },
        { "PATCH", "/api/v1/users/alice", "{\"email\":true}", 400, "not valid JSON" },
        { "PUT", "/api/v1/users/alice/password", "{\"newPassword\":\"short\"}", 400, "password must be" },
        { "PUT", "/api/v1/users/nobody/password", "{\"newPassword\":\"Good-Passw0rd\"}", 404, "does not exist" },
        { "DELETE", "/api/v1/users/nobody", "", 404, "does not exist" },
        { "DELETE", "/api/v1/users/admin", "", 400, "cannot delete its own account" },
        { "POST", "/api/v1/projects", "{\"name\":\"Bad Name\"}", 400, "project name must be" },
        { "POST", "/api/v1/projects", "{\"name\":\"" + new string('p', 64) + "\"}", 400, "project name must be" },
        { "POST", "/api/v1/projects", "{\"name\":\"team\"}", 409, "already exists" },
        { "POST", "/api/v1/projects", "{\"name\":\"q\",\"storageQuotaBytes\":-5}", 400, "storageQuotaBytes" },
        { "POST", "/api/v1/projects", "{\"name\":\"q\",\"public\":\"yes\"}", 400, "not valid JSON" },
        { "PATCH", "/api/v1/projects/nothere", "{\"public\":true}", 404, "does not exist" },
        { "PATCH", "/api/v1/projects/team", "{\"visibility\":\"public\"}", 400, "visibility" },
        { "DELETE", "/api/v1/projects/nothere", "", 404, "does not exist" },
        { "POST", "/api/v1/projects/team/members", "{\"username\":\"alice\",\"role\":\"owner\"}", 400, "role must be one of" },
        { "POST", "/api/v1/projects/team/members", "{\"username\":\"nobody\",\"role\":\"guest\"}", 404, "does not exist" },
        { "POST", "/api/v1/projects/team/members", "{\"role\":\"guest\"}", 400, "username is missing" },
        { "PUT", "/api/v1/projects/team/members/alice", "{\"username\":\"bob\",\"role\":\"guest\"}", 400, "differs" },
        { "DELETE", "/api/v1/projects/team/members/nobody", "", 404, "does not exist" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"Bad!\",\"permissions\":[{\"access\":[\"repository:pull\"]}]}", 400, "name must be" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"x\",\"permissions\":[]}", 400, "at least one grant" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"x\",\"permissions\":[{\"access\":[\"member:create\"]}]}", 400, "cannot be granted" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"x\",\"permissions\":[{\"access\":[\"repository:push\"]}]}", 400, "needs repository:pull" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"x\",\"permissions\":[{\"project\":\"*\",\"access\":[\"repository:pull\"]}]}", 400, "its own project" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"x\",\"duration\":0,\"permissions\":[{\"access\":[\"repository:pull\"]}]}", 400, "duration must be" },
        { "POST", "/api/v1/projects/team/robots", "{\"name\":\"ci\",\"permissions\":[{\"access\":[\"repository:pull\"]}]}", 409, "already exists" },
        { "POST", "/api/v1/robots", "{\"name\":\"x\",\"permissions\":[{\"project\":\"nothere\",\"access\":[\"repository:pull\"]}]}", 400, "does not exist" },
        { "POST", "/api/v1/robots", "{\"name\":\"x\",\"permissions\":[{\"access\":[\"repository:pull\"]}]}", 400, "names a project" },
        { "GET", "/api/v1/robots/abc", "", 400, "not a robot id" },
        { "GET", "/api/v1/robots/999999", "", 404, "does not exist" },
        { "PATCH", "/api/v1/robots/999999", "{\"disabled\":true}", 404, "does not exist" },
        { "POST", "/api/v1/robots/999999/secret", "", 404, "does not exist" },
        { "DELETE", "/api/v1/robots/-1", "", 400, "not a robot id" },
        { "GET", "/api/v1/audit-logs?limit=0", "", 400, "limit must be" },
        { "GET", "/api/v1/audit-logs?from=yesterday", "", 400, "from must be a time" },
        { "GET", "/api/v1/audit-logs?before=x", "", 400, "before must be" },
        { "GET", "/api/v1/audit-logs/export?format=xml", "", 400, "format must be" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_gets_a_clear_4xx_and_changes_nothing(string method, string path, string body, int status, string message)
    {
        var before = await SnapshotAsync();
        var content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json");

        var response = await _registry.SendAsync(new HttpMethod(method), path, AuthRegistry.AdminCredentials, content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode} {text}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(message, JsonNode.Parse(text)!["detail"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Oversize_body_is_413_and_changes_nothing()
    {
        var before = await SnapshotAsync();
        var body = "{\"username\":\"bob\",\"password\":\"Good-Passw0rd\",\"fullName\":\"" + new string('x', 70 * 1024) + "\"}";
        var response = await _registry.JsonAsync(HttpMethod.Post, "/api/v1/users", body, AuthRegistry.AdminCredentials);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>Users, projects, members and robots as the API lists them.</summary>
    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var path in new[] { "/api/v1/users", "/api/v1/projects", "/api/v1/projects/team/members", "/api/v1/projects/team/robots", "/api/v1/robots" })
        {
            parts.Add((await _registry.AdminAsync(HttpMethod.Get, path))!.ToJsonString());
        }

        return string.Join('\n', parts);
    }
}
