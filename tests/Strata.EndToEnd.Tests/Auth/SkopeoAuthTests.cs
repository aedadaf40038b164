using Strata.EndToEnd.Tests.Infrastructure;

namespace Strata.EndToEnd.Tests.Auth;

/// <summary>skopeo 1.9 against Strata with access control on: token auth with user credentials and robot secrets, anonymous pulls of public projects, refusals.</summary>
[Trait("Category", "Integration")]
public sealed class SkopeoAuthTests
{
    [Fact]
    public async Task User_pushes_and_pulls_with_credentials_and_strangers_cannot()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await SecuredRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        await registry.CreateProjectAsync("team", isPublic: false);
        await registry.CreateMemberAsync("team", "dev", "developer");
        await registry.CreateMemberAsync("team", "viewer", "guest");
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("original"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");
        var creds = $"dev:{SecuredRegistry.UserPassword}";

        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("team/app:1.0"), "--dest-creds", creds);
        var pulled = new OciLayout(sandbox.PathFor("pulled"));
        await skopeo.CopyAsync(endpoint.Docker("team/app:1.0"), pulled.Reference("back"), "--src-creds", $"viewer:{SecuredRegistry.UserPassword}");
        Assert.Equal(manifest.Digest, pulled.Resolve("back").Digest);
        LayoutAssert.SameImage(layout, pulled, manifest.Digest);

        var anonymous = await skopeo.TryCopyAsync(endpoint.Docker("team/app:1.0"), new OciLayout(sandbox.PathFor("anonymous")).Reference("x"));
        Assert.False(anonymous.Succeeded, "an anonymous pull of a private project succeeded");
        var guestPush = await skopeo.TryCopyAsync(layout.Reference("v1"), endpoint.Docker("team/app:guest"), "--dest-creds", $"viewer:{SecuredRegistry.UserPassword}");
        Assert.False(guestPush.Succeeded, "a guest pushed");
        var wrong = await skopeo.TryCopyAsync(endpoint.Docker("team/app:1.0"), new OciLayout(sandbox.PathFor("wrong")).Reference("x"), "--src-creds", "dev:Wrong-Passw0rd");
        Assert.False(wrong.Succeeded, "a wrong password pulled");
    }

    [Fact]
    public async Task Robot_secret_pushes_and_pulls_and_anonymous_pulls_a_public_project()
    {
        using var sandbox = new ToolSandbox();
        await using var registry = await SecuredRegistry.StartAsync();
        IRegistryEndpoint endpoint = registry;
        await registry.CreateProjectAsync("library", isPublic: true);
        var (robot, secret) = await registry.CreateRobotAsync("library", "ci", "repository:pull", "repository:push");
        Assert.StartsWith("robot$library+ci", robot);
        var skopeo = new SkopeoClient(sandbox);
        var layout = new OciLayout(sandbox.PathFor("original"));
        var manifest = await OciLayoutBuilder.BuildSampleImageAsync(layout.Path, "v1");

        await skopeo.CopyAsync(layout.Reference("v1"), endpoint.Docker("library/tool:1"), "--dest-creds", $"{robot}:{secret}");
        var byRobot = new OciLayout(sandbox.PathFor("robot"));
        await skopeo.CopyAsync(endpoint.Docker("library/tool:1"), byRobot.Reference("x"), "--src-creds", $"{robot}:{secret}");
        Assert.Equal(manifest.Digest, byRobot.Resolve("x").Digest);

        var byAnyone = new OciLayout(sandbox.PathFor("anyone"));
        await skopeo.CopyAsync(endpoint.Docker("library/tool:1"), byAnyone.Reference("x"));
        LayoutAssert.SameImage(layout, byAnyone, manifest.Digest);
        Assert.Equal(["1"], await skopeo.ListTagsAsync(endpoint.Docker("library/tool")));

        var anonymousPush = await skopeo.TryCopyAsync(layout.Reference("v1"), endpoint.Docker("library/tool:2"));
        Assert.False(anonymousPush.Succeeded, "an anonymous client pushed");
        var wrongSecret = await skopeo.TryCopyAsync(layout.Reference("v1"), endpoint.Docker("library/tool:3"), "--dest-creds", $"{robot}:not-the-secret");
        Assert.False(wrongSecret.Succeeded, "a wrong robot secret pushed");
    }
}
