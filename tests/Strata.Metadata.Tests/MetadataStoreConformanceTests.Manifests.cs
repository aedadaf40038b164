using Strata.Metadata.Contracts;
using Strata.Oci.Manifests;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task PutManifest_stores_every_field_and_the_exact_bytes()
    {
        var subject = TestData.DigestOf("subject");
        var manifest = TestData.Manifest("r", "m", subject: subject, artifactType: "application/x.sbom", annotationsJson: """{"a":"b"}""");

        var result = await Store.PutManifestAsync(TestData.Write(manifest), Ct);

        Assert.True(result.Succeeded);
        AssertSameManifest(manifest, await Store.GetManifestAsync("r", manifest.Digest, Ct));
    }

    [Fact]
    public async Task PutManifest_with_linked_blobs_writes_ManifestPushed()
    {
        var manifest = await PushImageAsync("r", "img");

        AssertSameManifest(manifest, await Store.GetManifestAsync("r", manifest.Digest, Ct));
        var pushed = Assert.Single(await ReadAllEventsAsync());
        Assert.Equal(OutboxEventKinds.ManifestPushed, pushed.Kind);
        Assert.Equal("r", pushed.Repository);
        Assert.Equal(manifest.Digest.ToString(), pushed.Digest);
        Assert.Equal(manifest.MediaType, pushed.MediaType);
        Assert.Null(pushed.Tag);
    }

    [Fact]
    public async Task PutManifest_with_missing_blob_reports_it_and_writes_nothing()
    {
        var present = TestData.Blob("present");
        var missing = TestData.Blob("missing");
        var manifest = TestData.Manifest("new/repo", "m");

        var result = await Store.PutManifestAsync(new ManifestWrite(manifest, [present.Digest, missing.Digest], [], ["latest"]), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal([present.Digest, missing.Digest], result.MissingBlobs);
        Assert.Empty(result.MissingManifests);
        await AssertNothingWrittenAsync("new/repo", manifest);
    }

    [Fact]
    public async Task PutManifest_with_a_missing_blob_in_an_existing_repository_writes_nothing()
    {
        var present = TestData.Blob("present");
        var missing = TestData.Blob("missing");
        await Store.LinkBlobAsync("r", present, Ct);
        var manifest = TestData.Manifest("r", "m");

        var result = await Store.PutManifestAsync(new ManifestWrite(manifest, [present.Digest, missing.Digest, missing.Digest], [], ["latest"]), Ct);

        Assert.Equal([missing.Digest], result.MissingBlobs);
        Assert.Null(await Store.GetManifestAsync("r", manifest.Digest, Ct));
        Assert.Null(await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Empty(await Store.ListTagsAsync("r", null, 10, Ct));
        Assert.Empty(await ReadAllEventsAsync());
    }

    [Fact]
    public async Task PutManifest_with_a_blob_linked_only_to_another_repository_reports_it_missing()
    {
        var blob = TestData.Blob("layer");
        await Store.LinkBlobAsync("other", blob, Ct);

        var result = await Store.PutManifestAsync(new ManifestWrite(TestData.Manifest("r", "m"), [blob.Digest], [], []), Ct);

        Assert.Equal([blob.Digest], result.MissingBlobs);
        Assert.False(await Store.RepositoryExistsAsync("r", Ct));
    }

    [Fact]
    public async Task PutManifest_with_missing_child_manifest_reports_it_and_writes_nothing()
    {
        var child = TestData.Manifest("r", "child");
        var index = TestData.Manifest("r", "index", MediaTypes.OciIndex);

        var result = await Store.PutManifestAsync(new ManifestWrite(index, [], [child.Digest], ["latest"]), Ct);

        Assert.Empty(result.MissingBlobs);
        Assert.Equal([child.Digest], result.MissingManifests);
        await AssertNothingWrittenAsync("r", index);
    }

    [Fact]
    public async Task PutManifest_with_a_child_stored_only_in_another_repository_reports_it_missing()
    {
        var child = TestData.Manifest("other", "child");
        await Store.PutManifestAsync(TestData.Write(child), Ct);
        var before = await LastEventIdAsync();
        var index = TestData.Manifest("r", "index", MediaTypes.OciIndex);

        var result = await Store.PutManifestAsync(new ManifestWrite(index, [], [child.Digest], []), Ct);

        Assert.Equal([child.Digest], result.MissingManifests);
        Assert.Empty(await Store.ReadEventsAsync(before, 10, Ct));
    }

    [Fact]
    public async Task PutManifest_of_an_index_with_stored_children_succeeds()
    {
        var amd64 = await PushImageAsync("r", "amd64");
        var arm64 = await PushImageAsync("r", "arm64");
        var index = TestData.Manifest("r", "index", MediaTypes.OciIndex);

        var result = await Store.PutManifestAsync(new ManifestWrite(index, [], [amd64.Digest, arm64.Digest], ["latest"]), Ct);

        Assert.True(result.Succeeded);
        AssertSameManifest(index, await Store.GetManifestByTagAsync("r", "latest", Ct));
    }

    [Fact]
    public async Task PutManifest_again_is_idempotent_without_a_second_ManifestPushed()
    {
        var manifest = await PushImageAsync("r", "img");
        var before = await LastEventIdAsync();

        var again = await Store.PutManifestAsync(
            new ManifestWrite(manifest, [TestData.Blob("img-config").Digest, TestData.Blob("img-layer").Digest], [], []), Ct);

        Assert.True(again.Succeeded);
        Assert.Empty(await Store.ReadEventsAsync(before, 10, Ct));
        AssertSameManifest(manifest, await Store.GetManifestAsync("r", manifest.Digest, Ct));
    }

    [Fact]
    public async Task PutManifest_of_the_same_digest_in_two_repositories_stores_two_manifests()
    {
        var inFirst = TestData.Manifest("r1", "same");
        var inSecond = inFirst with { Repository = "r2" };

        await Store.PutManifestAsync(TestData.Write(inFirst), Ct);
        await Store.PutManifestAsync(TestData.Write(inSecond), Ct);
        Assert.True(await Store.DeleteManifestAsync("r1", inFirst.Digest, Ct));

        Assert.Null(await Store.GetManifestAsync("r1", inFirst.Digest, Ct));
        AssertSameManifest(inSecond, await Store.GetManifestAsync("r2", inFirst.Digest, Ct));
    }

    [Fact]
    public async Task GetManifest_of_unknown_digest_or_repository_is_null()
    {
        var manifest = await PushImageAsync("r", "img");

        Assert.Null(await Store.GetManifestAsync("r", TestData.DigestOf("nope"), Ct));
        Assert.Null(await Store.GetManifestAsync("other", manifest.Digest, Ct));
    }

    [Fact]
    public async Task DeleteManifest_removes_it_and_its_tags_with_a_TagDeleted_per_tag_then_ManifestDeleted()
    {
        var manifest = await PushImageAsync("r", "img", "latest", "v1");
        var kept = await PushImageAsync("r", "kept", "stable");
        var before = await LastEventIdAsync();

        Assert.True(await Store.DeleteManifestAsync("r", manifest.Digest, Ct));

        Assert.Null(await Store.GetManifestAsync("r", manifest.Digest, Ct));
        Assert.Null(await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Equal(["stable"], await Store.ListTagsAsync("r", null, 10, Ct));
        AssertSameManifest(kept, await Store.GetManifestByTagAsync("r", "stable", Ct));
        Assert.True(await Store.RepositoryExistsAsync("r", Ct));
        Assert.Equal(
            [
                (OutboxEventKinds.TagDeleted, "r", manifest.Digest.ToString(), "latest"),
                (OutboxEventKinds.TagDeleted, "r", manifest.Digest.ToString(), "v1"),
                (OutboxEventKinds.ManifestDeleted, "r", manifest.Digest.ToString(), null),
            ],
            await ReadEventSummariesAsync(before));
    }

    [Fact]
    public async Task DeleteManifest_keeps_the_blob_links()
    {
        var manifest = await PushImageAsync("r", "img");

        await Store.DeleteManifestAsync("r", manifest.Digest, Ct);

        Assert.NotNull(await Store.GetRepositoryBlobAsync("r", TestData.Blob("img-layer").Digest, Ct));
    }

    [Fact]
    public async Task DeleteManifest_of_unknown_manifest_returns_false_and_writes_nothing()
    {
        var manifest = await PushImageAsync("r", "img");
        var before = await LastEventIdAsync();

        Assert.False(await Store.DeleteManifestAsync("r", TestData.DigestOf("nope"), Ct));
        Assert.False(await Store.DeleteManifestAsync("other", manifest.Digest, Ct));

        Assert.Empty(await Store.ReadEventsAsync(before, 10, Ct));
    }

    [Fact]
    public async Task PutManifest_after_delete_stores_it_again_with_a_new_ManifestPushed()
    {
        var manifest = await PushImageAsync("r", "img", "latest");
        await Store.DeleteManifestAsync("r", manifest.Digest, Ct);
        var before = await LastEventIdAsync();

        var again = await PushImageAsync("r", "img", "latest");

        AssertSameManifest(again, await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Equal(
            [
                (OutboxEventKinds.ManifestPushed, "r", manifest.Digest.ToString(), null),
                (OutboxEventKinds.TagSet, "r", manifest.Digest.ToString(), "latest"),
            ],
            await ReadEventSummariesAsync(before));
    }

    private async Task AssertNothingWrittenAsync(string repository, ManifestRecord manifest)
    {
        Assert.False(await Store.RepositoryExistsAsync(repository, Ct));
        Assert.Empty(await Store.ListRepositoriesAsync(null, 10, Ct));
        Assert.Null(await Store.GetManifestAsync(repository, manifest.Digest, Ct));
        Assert.Null(await Store.GetManifestByTagAsync(repository, "latest", Ct));
        Assert.Empty(await Store.ListTagsAsync(repository, null, 10, Ct));
        Assert.Empty(await ReadAllEventsAsync());
    }
}
