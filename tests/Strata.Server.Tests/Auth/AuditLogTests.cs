using System.Net;
using System.Text.Json.Nodes;

namespace Strata.Server.Tests.Auth;

/// <summary>Pushes, pulls, deletes, logins, failed logins and permission changes are in the audit log: who, what, when, from where; queryable and exportable.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task Registry_and_management_actions_are_recorded_and_exported()
    {
        await using var registry = await AuthRegistry.StartAsync();
        await registry.CreateProjectAsync("team", isPublic: false);
        await registry.CreateUserAsync("alice");
        await registry.AddMemberAsync("team", "alice", "maintainer");
        var (digest, _) = await registry.PushImageAsync("team/app", "1");
        var alice = AuthRegistry.Basic("alice", AuthRegistry.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await registry.SendAsync(HttpMethod.Get, "/v2/team/app/manifests/1", alice)).StatusCode);
        await registry.TokenAsync(alice, "repository:team/app:pull");
        await registry.SendAsync(HttpMethod.Get, "/service/token", AuthRegistry.Basic("alice", "Wrong-Passw0rd1"));
        Assert.Equal(HttpStatusCode.Accepted, (await registry.SendAsync(HttpMethod.Delete, $"/v2/team/app/manifests/{digest}", alice)).StatusCode);

        // Registry entries are recorded when their response completes, which may be just after the client saw it.
        string Line(JsonNode? e) => $"{e!["actor"]} {e["action"]} {e["resource"]} {e["success"]}";
        JsonArray entries;
        List<string> lines;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        do
        {
            entries = (await registry.AdminAsync(HttpMethod.Get, "/api/v1/audit-logs?limit=1000"))!.AsArray();
            lines = entries.Select(Line).ToList();
        }
        while (!lines.Contains($"alice delete team/app@{digest} true") && DateTime.UtcNow < deadline && await Task.Delay(50).ContinueWith(_ => true));
        Assert.Contains("admin push team/app:1 true", lines);
        Assert.Contains("alice pull team/app:1 true", lines);
        Assert.Contains("alice login token true", lines);
        Assert.Contains("alice login_failed token false", lines);
        Assert.Contains($"alice delete team/app@{digest} true", lines);
        Assert.Contains("admin user.create user:alice true", lines);
        Assert.Contains("admin member.set member:team/alice true", lines);
        Assert.Contains("admin project.create project:team true", lines);
        Assert.All(entries.Where(e => e!["actor"]!.GetValue<string>() != "system"), e => Assert.Equal("127.0.0.1", e!["client"]!.GetValue<string>()));
        Assert.Contains("system user.create user:admin true", lines);

        var aliceOnly = (await registry.AdminAsync(HttpMethod.Get, "/api/v1/audit-logs?actor=alice&action=pull"))!.AsArray();
        Assert.Equal(["alice pull team/app:1 True"], aliceOnly.Select(e => Line(e).Replace("true", "True")));

        // A member who may read the project's log sees it; the whole log is for administrators.
        var projectLog = await registry.SendAsync(HttpMethod.Get, "/api/v1/audit-logs?project=team", alice);
        Assert.Equal(HttpStatusCode.OK, projectLog.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await registry.SendAsync(HttpMethod.Get, "/api/v1/audit-logs", alice)).StatusCode);

        var csv = await registry.SendAsync(HttpMethod.Get, "/api/v1/audit-logs/export?format=csv&project=team", AuthRegistry.AdminCredentials);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        var rows = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,at,actor,action,resource,project,success,client,detail", rows[0]);
        Assert.Contains(rows, r => r.Contains("\"alice\",\"pull\",\"team/app:1\",\"team\",true", StringComparison.Ordinal));

        var jsonl = await registry.SendAsync(HttpMethod.Get, "/api/v1/audit-logs/export?format=jsonl", AuthRegistry.AdminCredentials);
        var exported = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(entries.Count, exported.Length);
        Assert.All(exported, l => JsonNode.Parse(l));
    }
}
