using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Persistence;

/// <summary>
/// Restart persistence ("Resumable Push": "The registry notifies the build server that the upload has
/// already been partially attempted"; DESIGN.md: "restart … resumes"): the server is stopped and a
/// new one started on the same data directory. Upload sessions continue where they stopped;
/// blobs, manifests, tags, referrers and deletions survive. Each test owns its registry.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Chunked_upload_continues_after_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var blob = TestBlob.Random(300_000);
        var session = await registry.Client.StartUploadAsync(repository);
        var first = await registry.Client.PatchAsync(session.Location, blob.Content[..100_000], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);
        var location = RegistryClient.Location(first);

        await registry.RestartAsync();
        location = registry.Rebase(location);

        var status = await registry.Client.UploadStatusAsync(location);
        await HttpAssert.StatusAsync(status, HttpStatusCode.NoContent);
        await HttpAssert.HeaderEqualAsync(status, "Range", "0-99999");
        var second = await registry.Client.PatchAsync(registry.Rebase(RegistryClient.Location(status)), blob.Content[100_000..200_000], 100_000);
        await HttpAssert.StatusAsync(second, HttpStatusCode.Accepted);
        await HttpAssert.HeaderEqualAsync(second, "Range", "0-199999");
        var put = await registry.Client.PutUploadAsync(RegistryClient.Location(second), blob.Digest, blob.Content[200_000..], 200_000);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        await HttpAssert.HeaderEqualAsync(put, "Docker-Content-Digest", blob.Digest);
        var get = await registry.Client.GetBlobAsync(repository, blob.Digest);
        await HttpAssert.StatusAsync(get, HttpStatusCode.OK);
        Assert.Equal(blob.Content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Sha512_upload_continues_after_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var blob = TestBlob.Random(10_000, Digests.Sha512);
        var session = await registry.Client.StartUploadAsync(repository, "digest-algorithm=sha512");
        var first = await registry.Client.PatchAsync(session.Location, blob.Content[..4_000], 0);
        await HttpAssert.StatusAsync(first, HttpStatusCode.Accepted);
        var location = RegistryClient.Location(first);

        await registry.RestartAsync();

        var second = await registry.Client.PatchAsync(registry.Rebase(location), blob.Content[4_000..], 4_000);
        await HttpAssert.StatusAsync(second, HttpStatusCode.Accepted);
        var put = await registry.Client.PutUploadAsync(RegistryClient.Location(second), blob.Digest);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
        var get = await registry.Client.GetBlobAsync(repository, blob.Digest);
        Assert.Equal(blob.Content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_with_nothing_written_yet_survives_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var blob = TestBlob.Random(1000);
        var session = await registry.Client.StartUploadAsync(repository);

        await registry.RestartAsync();

        var put = await registry.Client.PutUploadAsync(registry.Rebase(session.Location), blob.Digest, blob.Content);
        await HttpAssert.StatusAsync(put, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Cancelled_upload_stays_cancelled_after_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var session = await registry.Client.StartUploadAsync(repository);
        await HttpAssert.StatusAsync(await registry.Client.CancelUploadAsync(session.Location), HttpStatusCode.NoContent);

        await registry.RestartAsync();

        await HttpAssert.ErrorAsync(await registry.Client.UploadStatusAsync(registry.Rebase(session.Location)), HttpStatusCode.NotFound, "BLOB_UPLOAD_UNKNOWN");
    }

    [Fact]
    public async Task Manifests_tags_blobs_and_referrers_survive_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var image = await registry.Client.PushImageAsync(repository, "v1");
        await registry.Client.PushManifestAsync(repository, "latest", image.Content, image.MediaType);
        var index = await registry.Client.PushIndexAsync(repository, [image.Descriptor with { Platform = new Platform("linux", "amd64") }], "multi");
        var sha512 = await registry.Client.PushImageAsync(repository, algorithm: Digests.Sha512);
        var referrer = await registry.Client.PushImageAsync(
            repository, subject: image.Descriptor, artifactType: MediaTypes.ExampleArtifact1, emptyConfig: true);

        await registry.RestartAsync();
        var client = registry.Client;

        await ManifestAssert.ServedAsync(client, repository, "v1", image);
        await ManifestAssert.ServedAsync(client, repository, "latest", image);
        await ManifestAssert.ServedAsync(client, repository, image.Digest, image);
        await ManifestAssert.ServedAsync(client, repository, "multi", index);
        await ManifestAssert.ServedAsync(client, repository, sha512.Digest, sha512);
        Assert.Equal(["latest", "multi", "v1"], await JsonBody.TagsAsync(await client.ListTagsAsync(repository), repository));
        foreach (var blob in new[] { image.Config, image.Layers[0], sha512.Layers[0] })
        {
            var get = await client.GetBlobAsync(repository, blob.Digest);
            await HttpAssert.StatusAsync(get, HttpStatusCode.OK);
            Assert.Equal(blob.Content, await get.Content.ReadAsByteArrayAsync());
        }

        var referrers = await client.ReferrersAsync(repository, image.Digest);
        await HttpAssert.StatusAsync(referrers, HttpStatusCode.OK);
        var entries = (await JsonBody.ParseAsync(referrers)).GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(referrer.Digest, Assert.Single(entries).GetProperty("digest").GetString());
        Assert.Contains(repository, await JsonBody.StringArrayAsync(await client.CatalogAsync(), "repositories"));
    }

    [Fact]
    public async Task Deletions_survive_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var deleted = await registry.Client.PushImageAsync(repository, "deleted");
        var untagged = await registry.Client.PushImageAsync(repository, "untagged");
        var blob = TestBlob.Random(100);
        await registry.Client.PushBlobAsync(repository, blob);
        await HttpAssert.StatusAsync(await registry.Client.DeleteManifestAsync(repository, deleted.Digest), HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await registry.Client.DeleteManifestAsync(repository, "untagged"), HttpStatusCode.Accepted);
        await HttpAssert.StatusAsync(await registry.Client.DeleteBlobAsync(repository, blob.Digest), HttpStatusCode.Accepted);

        await registry.RestartAsync();
        var client = registry.Client;

        await ManifestAssert.AbsentAsync(client, repository, deleted.Digest);
        await ManifestAssert.AbsentAsync(client, repository, "deleted");
        await ManifestAssert.AbsentAsync(client, repository, "untagged");
        await ManifestAssert.ServedAsync(client, repository, untagged.Digest, untagged);
        await HttpAssert.StatusAsync(await client.HeadBlobAsync(repository, blob.Digest), HttpStatusCode.NotFound);
        Assert.Empty(await JsonBody.TagsAsync(await client.ListTagsAsync(repository), repository));
    }

    [Fact]
    public async Task Pushing_continues_normally_after_a_restart()
    {
        await using var registry = await TestRegistry.StartAsync();
        var repository = Names.Repository();
        var before = await registry.Client.PushImageAsync(repository, "before");

        await registry.RestartAsync();
        var after = await registry.Client.PushImageAsync(repository, "after");
        await registry.Client.PushManifestAsync(repository, "before", after.Content, after.MediaType);

        await ManifestAssert.ServedAsync(registry.Client, repository, "before", after);
        await ManifestAssert.ServedAsync(registry.Client, repository, before.Digest, before);
    }
}
