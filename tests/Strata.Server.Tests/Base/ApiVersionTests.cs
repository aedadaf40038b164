using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Base;

/// <summary>end-1: <c>GET /v2/</c> ("Determining Support" / "API Version Check").</summary>
public sealed class ApiVersionTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Get_v2_returns_200()
    {
        var response = await Client.SendAsync(HttpMethod.Get, "/v2/");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_v2_carries_Docker_Distribution_API_Version_registry_2_0()
    {
        // "When a 200 OK or 401 Unauthorized response is returned, the Docker-Distribution-API-Version
        // header SHOULD be set to registry/2.0"; docker and containerd check it.
        var response = await Client.SendAsync(HttpMethod.Get, "/v2/");

        await HttpAssert.HeaderEqualAsync(response, "Docker-Distribution-API-Version", "registry/2.0");
    }

    [Fact]
    public async Task Head_v2_returns_200_with_version_header()
    {
        var response = await Client.SendAsync(HttpMethod.Head, "/v2/");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        await HttpAssert.HeaderEqualAsync(response, "Docker-Distribution-API-Version", "registry/2.0");
    }
}
