using Strata.Metadata.Contracts;

namespace Strata.Metadata.Tests;

public abstract partial class MetadataStoreConformanceTests
{
    [Fact]
    public async Task PutManifest_with_new_tags_writes_ManifestPushed_then_one_TagSet_per_tag()
    {
        var manifest = await PushImageAsync("r", "img", "latest", "v1", "latest");

        var digest = manifest.Digest.ToString();
        Assert.Equal(
            [
                (OutboxEventKinds.ManifestPushed, "r", digest, null),
                (OutboxEventKinds.TagSet, "r", digest, "latest"),
                (OutboxEventKinds.TagSet, "r", digest, "v1"),
            ],
            await ReadEventSummariesAsync());
        AssertSameManifest(manifest, await Store.GetManifestByTagAsync("r", "v1", Ct));
    }

    [Fact]
    public async Task PutManifest_moving_a_tag_writes_TagSet_and_repoints_it()
    {
        var first = await PushImageAsync("r", "one", "latest");
        var before = await LastEventIdAsync();
        Clock.Advance(TimeSpan.FromMinutes(5));

        var second = await PushImageAsync("r", "two", "latest");

        AssertSameManifest(second, await Store.GetManifestByTagAsync("r", "latest", Ct));
        AssertSameManifest(first, await Store.GetManifestAsync("r", first.Digest, Ct));
        var events = await Store.ReadEventsAsync(before, 10, Ct);
        Assert.Equal([OutboxEventKinds.ManifestPushed, OutboxEventKinds.TagSet], events.Select(e => e.Kind));
        Assert.Equal(second.Digest.ToString(), events[1].Digest);
        Assert.Equal(second.MediaType, events[1].MediaType);
        Assert.Equal(Clock.GetUtcNow(), events[1].CreatedAt);
    }

    [Fact]
    public async Task PutManifest_with_an_unchanged_tag_writes_no_event()
    {
        var manifest = await PushImageAsync("r", "img", "latest");
        var before = await LastEventIdAsync();

        await Store.PutManifestAsync(TestData.Write(manifest with { Content = [] }, "latest"), Ct);

        Assert.Empty(await Store.ReadEventsAsync(before, 10, Ct));
        AssertSameManifest(manifest, await Store.GetManifestByTagAsync("r", "latest", Ct));
    }

    [Fact]
    public async Task PutManifest_of_an_existing_manifest_with_a_new_tag_writes_only_TagSet()
    {
        var manifest = await PushImageAsync("r", "img", "latest");
        var before = await LastEventIdAsync();

        await Store.PutManifestAsync(TestData.Write(manifest, "latest", "v2"), Ct);

        Assert.Equal([(OutboxEventKinds.TagSet, "r", manifest.Digest.ToString(), "v2")], await ReadEventSummariesAsync(before));
    }

    [Fact]
    public async Task GetManifestByTag_of_unknown_tag_or_repository_is_null()
    {
        await PushImageAsync("r", "img", "latest");

        Assert.Null(await Store.GetManifestByTagAsync("r", "nope", Ct));
        Assert.Null(await Store.GetManifestByTagAsync("other", "latest", Ct));
    }

    [Fact]
    public async Task ListTags_pages_in_ordinal_order()
    {
        var manifest = TestData.Manifest("r", "img");
        await Store.PutManifestAsync(TestData.Write(manifest, TrickyNames), Ct);

        var expected = TrickyNames.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await Store.ListTagsAsync("r", null, 100, Ct));
        Assert.Equal(expected, await ReadAllPagesAsync((last, limit) => Store.ListTagsAsync("r", last, limit, Ct), pageSize: 4));
    }

    [Fact]
    public async Task ListTags_pages_through_many_tags_of_one_repository_only()
    {
        var tags = Enumerable.Range(0, 300).Select(i => $"v{i}").ToArray();
        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("r", "img"), tags), Ct);
        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("q", "img"), "v1", "zzz"), Ct);
        await Store.PutManifestAsync(TestData.Write(TestData.Manifest("s", "img"), "a", "v2"), Ct);

        var pages = await ReadAllPagesAsync((last, limit) => Store.ListTagsAsync("r", last, limit, Ct), pageSize: 7);

        Assert.Equal(tags.Order(StringComparer.Ordinal), pages);
        Assert.Equal(["v100", "v101"], await Store.ListTagsAsync("r", "v10", 2, Ct));
    }

    [Fact]
    public async Task ListTags_of_unknown_repository_or_with_limit_zero_is_empty()
    {
        await PushImageAsync("r", "img", "latest");

        Assert.Empty(await Store.ListTagsAsync("other", null, 10, Ct));
        Assert.Empty(await Store.ListTagsAsync("r", null, 0, Ct));
        Assert.Empty(await Store.ListTagsAsync("r", "latest", 10, Ct));
    }

    [Fact]
    public async Task DeleteTag_removes_the_tag_keeps_the_manifest_and_writes_TagDeleted()
    {
        var manifest = await PushImageAsync("r", "img", "latest", "v1");
        var before = await LastEventIdAsync();

        Assert.True(await Store.DeleteTagAsync("r", "latest", Ct));

        Assert.Null(await Store.GetManifestByTagAsync("r", "latest", Ct));
        Assert.Equal(["v1"], await Store.ListTagsAsync("r", null, 10, Ct));
        AssertSameManifest(manifest, await Store.GetManifestAsync("r", manifest.Digest, Ct));
        var deleted = Assert.Single(await Store.ReadEventsAsync(before, 10, Ct));
        Assert.Equal(OutboxEventKinds.TagDeleted, deleted.Kind);
        Assert.Equal("latest", deleted.Tag);
        Assert.Equal(manifest.Digest.ToString(), deleted.Digest);
    }

    [Fact]
    public async Task DeleteTag_of_unknown_tag_returns_false_and_writes_nothing()
    {
        await PushImageAsync("r", "img", "latest");
        var before = await LastEventIdAsync();

        Assert.False(await Store.DeleteTagAsync("r", "nope", Ct));
        Assert.False(await Store.DeleteTagAsync("other", "latest", Ct));

        Assert.Empty(await Store.ReadEventsAsync(before, 10, Ct));
    }
}
