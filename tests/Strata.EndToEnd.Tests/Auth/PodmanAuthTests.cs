using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Auth;

/// <summary>podman 4.3 logs in (auth file in the sandbox) with a user's password and with a robot secret, then pushes and pulls.</summary>
[Trait("Category", "Integration")]
public sealed class PodmanAuthTests
{
    [Fact]
    public async Task Podman_logs_in_as_a_user_and_as_a_robot_and_pushes_and_pulls()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await SecuredRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        await registry.CreateProjectAsync("team", isPublic: false);
        await registry.CreateMemberAsync("team", "dev", "developer");
        var (robot, secret) = await registry.CreateRobotAsync("team", "puller", "repository:pull");
        var layout = new OciLayout(sandbox.PathFor("layout"));
        await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        await new SkopeoClient(sandbox).CopyAsync(layout.Reference("v1"), endpoint.Docker("team/source:v1"), "--dest-creds", $"dev:{SecuredRegistry.UserPassword}");
        var podman = new PodmanClient(sandbox);

        await podman.RunAsync("login", "--tls-verify=false", "-u", "dev", "-p", SecuredRegistry.UserPassword, endpoint.Host);
        Assert.Contains(endpoint.Host, File.ReadAllText(sandbox.PathFor("auth.json")));
        await podman.PullAsync($"{endpoint.Host}/team/source:v1");
        await podman.RunAsync("tag", $"{endpoint.Host}/team/source:v1", $"{endpoint.Host}/team/copy:v2");
        await podman.PushAsync($"{endpoint.Host}/team/copy:v2", $"{endpoint.Host}/team/copy:v2");
        await podman.RunAsync("logout", endpoint.Host);

        await podman.RunAsync("login", "--tls-verify=false", "-u", robot, "-p", secret, endpoint.Host);
        await podman.RunAsync("rmi", "--all", "--force");
        await podman.PullAsync($"{endpoint.Host}/team/copy:v2");
        var images = await podman.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Contains($"{endpoint.Host}/team/copy:v2", images.StandardOutput);
    }
}
