using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Manifests;

/// <summary>
/// end-7's 413: "Registries SHOULD enforce a maximum manifest size … respond with 413 Payload Too
/// Large. Clients and registries SHOULD expect to support manifest uploads of at least 4 MiB."
/// Strata's limit is <c>Registry:MaxManifestBytes</c>, 4 MiB by default, inclusive.
/// </summary>
public sealed class ManifestSizeLimitTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private const int FourMiB = 4 * 1024 * 1024;

    private RegistryClient Client => fixture.Client;

    [Fact]
    public async Task Manifest_of_exactly_4_MiB_is_accepted()
    {
        var repository = Names.Repository();
        var config = await PushConfigAsync(repository);
        var body = ManifestOfExactSize(config, FourMiB);
        var tag = Names.Tag();

        var pushed = await Client.PushManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await ManifestAssert.ServedAsync(Client, repository, tag, pushed);
    }

    [Fact]
    public async Task Manifest_one_byte_over_4_MiB_returns_413_and_stores_nothing()
    {
        var repository = Names.Repository();
        var config = await PushConfigAsync(repository);
        var body = ManifestOfExactSize(config, FourMiB + 1);
        var tag = Names.Tag();

        var response = await Client.PutManifestAsync(repository, tag, body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await ManifestAssert.AbsentAsync(Client, repository, tag);
        await ManifestAssert.AbsentAsync(Client, repository, Digests.Of(body));
    }

    [Fact]
    public async Task Manifest_far_over_the_limit_returns_413()
    {
        var repository = Names.Repository();
        var config = await PushConfigAsync(repository);
        var body = ManifestOfExactSize(config, 3 * FourMiB);

        var response = await Client.PutManifestAsync(repository, Names.Tag(), body, MediaTypes.OciManifest);

        await HttpAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Configured_MaxManifestBytes_is_the_inclusive_limit()
    {
        // Strata refuses limits below the spec's 4 MiB floor, so raise it: 5 MiB passes, 5 MiB + 1 does not.
        const int limit = 5 * 1024 * 1024;
        await using var registry = await TestRegistry.StartAsync(new Dictionary<string, string?>
        {
            ["Registry:MaxManifestBytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var client = registry.Client;
        var repository = Names.Repository();
        var config = TestBlob.ImageConfig();
        await client.PushBlobAsync(repository, config);

        var atLimit = await client.PutManifestAsync(repository, "at-limit", ManifestOfExactSize(config, limit), MediaTypes.OciManifest);
        var overLimit = await client.PutManifestAsync(repository, "over-limit", ManifestOfExactSize(config, limit + 1), MediaTypes.OciManifest);

        await HttpAssert.StatusAsync(atLimit, HttpStatusCode.Created);
        await HttpAssert.ErrorAsync(overLimit, HttpStatusCode.RequestEntityTooLarge);
        await ManifestAssert.AbsentAsync(client, repository, "over-limit");
    }

    /// <summary>An OCI manifest padded with one annotation to exactly <paramref name="size"/> bytes.</summary>
    internal static byte[] ManifestOfExactSize(TestBlob config, int size)
    {
        byte[] Build(int padding) => ManifestJson.OciManifest(
            config.Describe(MediaTypes.OciConfig), [], annotations: new Dictionary<string, string> { ["pad"] = new string('A', padding) });

        var body = Build(size - Build(0).Length);
        Assert.Equal(size, body.Length);
        return body;
    }

    private async Task<TestBlob> PushConfigAsync(string repository)
    {
        var config = TestBlob.ImageConfig();
        await Client.PushBlobAsync(repository, config);
        return config;
    }
}
