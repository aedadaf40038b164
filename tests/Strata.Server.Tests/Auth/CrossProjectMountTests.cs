using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Auth;

/// <summary>A cross-repository mount needs pull on the source: without it the mount is declined (a plain upload starts) and nothing is linked.</summary>
public sealed class CrossProjectMountTests : IAsyncLifetime
{
    private AuthRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await AuthRegistry.StartAsync();
        await _registry.CreateProjectAsync("secret", isPublic: false);
        await _registry.CreateProjectAsync("mine", isPublic: false);
        await _registry.CreateUserAsync("dev");
        await _registry.AddMemberAsync("mine", "dev", "developer");
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mount_without_pull_on_the_source_is_declined_and_links_nothing(bool bearer)
    {
        var (_, layer) = await _registry.PushImageAsync("secret/app", bearer ? "b" : "a");
        var dev = AuthRegistry.Basic("dev", AuthRegistry.UserPassword);
        var credentials = bearer
            ? AuthRegistry.Bearer(await _registry.TokenAsync(dev, "repository:mine/app:pull,push", "repository:secret/app:pull"))
            : dev;

        var mount = await _registry.SendAsync(HttpMethod.Post, $"/v2/mine/app/blobs/uploads/?mount={layer.Digest}&from=secret/app", credentials, RegistryClient.Octets([]));

        Assert.Equal(HttpStatusCode.Accepted, mount.StatusCode);
        Assert.Contains("/v2/mine/app/blobs/uploads/", mount.Headers.Location!.ToString());
        var head = await _registry.SendAsync(HttpMethod.Head, $"/v2/mine/app/blobs/{layer.Digest}", AuthRegistry.AdminCredentials);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Mount_with_pull_on_the_source_links_the_blob()
    {
        var (_, layer) = await _registry.PushImageAsync("secret/app", "c");
        await _registry.CreateUserAsync("both");
        await _registry.AddMemberAsync("mine", "both", "developer");
        await _registry.AddMemberAsync("secret", "both", "guest");
        var token = await _registry.TokenAsync(AuthRegistry.Basic("both", AuthRegistry.UserPassword), "repository:mine/other:pull,push", "repository:secret/app:pull");

        var mount = await _registry.SendAsync(HttpMethod.Post, $"/v2/mine/other/blobs/uploads/?mount={layer.Digest}&from=secret/app", AuthRegistry.Bearer(token), RegistryClient.Octets([]));

        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _registry.SendAsync(HttpMethod.Head, $"/v2/mine/other/blobs/{layer.Digest}", AuthRegistry.AdminCredentials)).StatusCode);
    }
}
