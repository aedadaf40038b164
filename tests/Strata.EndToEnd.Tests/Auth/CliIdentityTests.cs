using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Auth;

/// <summary><c>strata user|project|robot</c> (the real strata.dll) against a secured server.</summary>
[Trait("Category", "Integration")]
public sealed partial class CliIdentityTests
{
    [Fact]
    public async Task Cli_creates_users_projects_members_and_robots_and_a_robot_secret_is_printed_once()
    {
        await using var registry = await SecuredRegistry.StartAsync();
        var server = registry.BaseAddress.ToString();

        (await StrataAsync(server, null, "project", "create", "team")).EnsureSuccess();
        (await StrataAsync(server, "Bob-Passw0rd1", "user", "create", "bob", "--email", "bob@example.org")).EnsureSuccess();
        (await StrataAsync(server, null, "project", "member", "add", "team", "bob", "developer")).EnsureSuccess();
        Assert.Contains("bob", (await StrataAsync(server, null, "project", "member", "list", "team")).EnsureSuccess().StandardOutput);
        Assert.Contains("team", (await StrataAsync(server, null, "project", "list")).EnsureSuccess().StandardOutput);

        var created = (await StrataAsync(server, null, "robot", "create", "ci", "--project", "team", "--grant", "team=repository:pull,repository:push")).EnsureSuccess();
        var secret = SecretLine().Match(created.StandardOutput).Groups[1].Value;
        Assert.Equal(43, secret.Length);
        var listed = (await StrataAsync(server, null, "robot", "list", "--project", "team")).EnsureSuccess().StandardOutput;
        Assert.Contains("robot$team+ci", listed);
        Assert.DoesNotContain(secret, listed);

        using var http = new HttpClient { BaseAddress = registry.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/service/token?service=strata&scope=repository:team/app:pull,push");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"robot$team+ci:{secret}")));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

        var refused = await StrataAsync(server, "weak", "user", "create", "carol");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("password must be", refused.StandardError);
        var wrongAdmin = await StrataAsync(server, null, ["user", "list"], "Not-The-Passw0rd");
        Assert.Equal(1, wrongAdmin.ExitCode);
        Assert.Contains("401", wrongAdmin.StandardError);
    }

    private static Task<ProcessResult> StrataAsync(string server, string? newPassword, string command, params string[] rest) =>
        StrataAsync(server, newPassword, [command, .. rest], SecuredRegistry.AdminPassword);

    private static Task<ProcessResult> StrataAsync(string server, string? newPassword, string[] arguments, string adminPassword)
    {
        var strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        return ProcessRunner.RunAsync(new ProcessSpec("dotnet", [strata, .. arguments, "--server", server])
        {
            Environment = new Dictionary<string, string?>
            {
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["STRATA_USER"] = "admin",
                ["STRATA_PASSWORD"] = adminPassword,
                ["STRATA_NEW_PASSWORD"] = newPassword,
            },
        });
    }

    [GeneratedRegex(@"secret:\s+(\S+)")]
    private static partial Regex SecretLine();
}
