using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Tags;

/// <summary>
/// end-8a/8b: <c>GET /v2/&lt;name&gt;/tags/list[?n=&lt;int&gt;&amp;last=&lt;tag&gt;]</c> ("Listing Tags"): tags
/// in lexical ("ASCIIbetical", Go's sort.Strings) order, <c>n</c> limits, <c>last</c> resumes after a
/// tag, a <c>Link: &lt;…&gt;; rel="next"</c> points at the next page, and <c>n=0</c> gives an empty list
/// with no Link.
/// </summary>
public sealed class TagListTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    // Deliberately pushed in this (unsorted) order; ordinal order differs from case-insensitive and
    // from version order ("1.10" < "1.9", "Z" < "_" < "a").
    private static readonly string[] UnsortedTags = ["v1.0.0", "latest", "1.9", "1.10", "1.2.3", "Z9", "_under", "a", "A", "b-1", "b.1", "b_1"];

    private RegistryClient Client => fixture.Client;

    private static string[] Sorted => [.. UnsortedTags.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Tags_are_listed_in_lexical_order()
    {
        var repository = await PushTagsAsync(UnsortedTags);

        var response = await Client.ListTagsAsync(repository);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Sorted, await JsonBody.TagsAsync(response, repository));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task Tag_list_is_json()
    {
        var repository = await PushTagsAsync(["x"]);

        var response = await Client.ListTagsAsync(repository);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task N_limits_the_page_and_link_points_to_the_next_page()
    {
        var repository = await PushTagsAsync(UnsortedTags);

        var response = await Client.ListTagsAsync(repository, "n=3");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Sorted[..3], await JsonBody.TagsAsync(response, repository));
        var next = await LinkHeader.NextAsync(response);
        Assert.NotNull(next);
        Assert.Equal($"/v2/{repository}/tags/list", next!.AbsolutePath);
        var query = LinkHeader.Query(next);
        Assert.Equal("3", query["n"]);
        Assert.Equal(Sorted[2], query["last"]);
    }

    [Fact]
    public async Task Following_links_walks_every_tag_exactly_once()
    {
        var repository = await PushTagsAsync(UnsortedTags);
        var collected = new List<string>();
        Uri? url = Client.Url($"/v2/{repository}/tags/list?n=5");
        var pages = 0;

        while (url is not null)
        {
            var response = await Client.SendAsync(HttpMethod.Get, url);
            await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
            var page = await JsonBody.TagsAsync(response, repository);
            Assert.True(page.Count <= 5, "page larger than n");
            collected.AddRange(page);
            url = await LinkHeader.NextAsync(response);
            Assert.True(++pages <= 10, "pagination does not terminate");
        }

        Assert.Equal(Sorted, collected);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Last_page_that_fills_n_exactly_may_link_but_must_not_repeat()
    {
        // 12 tags, n=6: the second page is full. A Link after it is allowed, but must lead to an empty page.
        var repository = await PushTagsAsync(UnsortedTags);
        var first = await Client.ListTagsAsync(repository, "n=6");
        var secondUrl = await LinkHeader.NextAsync(first);
        Assert.NotNull(secondUrl);

        var second = await Client.SendAsync(HttpMethod.Get, secondUrl!);

        Assert.Equal(Sorted[6..], await JsonBody.TagsAsync(second, repository));
        var third = await LinkHeader.NextAsync(second);
        if (third is not null)
        {
            var response = await Client.SendAsync(HttpMethod.Get, third);
            Assert.Empty(await JsonBody.TagsAsync(response, repository));
            await HttpAssert.NoHeaderAsync(response, "Link");
        }
    }

    [Fact]
    public async Task N_larger_than_the_tag_count_returns_all_without_link()
    {
        var repository = await PushTagsAsync(UnsortedTags);

        var response = await Client.ListTagsAsync(repository, "n=100");

        Assert.Equal(Sorted, await JsonBody.TagsAsync(response, repository));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task N_zero_returns_an_empty_list_and_no_link()
    {
        // "If <int> is zero, a registry MUST return an empty list and MUST NOT include a Link header."
        var repository = await PushTagsAsync(UnsortedTags);

        var response = await Client.ListTagsAsync(repository, "n=0");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await JsonBody.TagsAsync(response, repository));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task Last_returns_the_tags_after_it()
    {
        // The official suite's check: last = the middle tag; nothing up to it, everything after it.
        var repository = await PushTagsAsync(UnsortedTags);
        var last = Sorted[5];

        var response = await Client.ListTagsAsync(repository, "last=" + Uri.EscapeDataString(last));

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(Sorted[6..], await JsonBody.TagsAsync(response, repository));
    }

    [Fact]
    public async Task N_and_last_together_return_the_next_n_tags()
    {
        var repository = await PushTagsAsync(UnsortedTags);

        var response = await Client.ListTagsAsync(repository, "n=2&last=" + Uri.EscapeDataString(Sorted[3]));

        Assert.Equal(Sorted[4..6], await JsonBody.TagsAsync(response, repository));
        var next = await LinkHeader.NextAsync(response);
        Assert.NotNull(next);
        Assert.Equal(Sorted[5], LinkHeader.Query(next!)["last"]);
    }

    [Fact]
    public async Task Last_need_not_be_an_existing_tag()
    {
        var repository = await PushTagsAsync(["a", "c", "e"]);

        var response = await Client.ListTagsAsync(repository, "last=b");

        Assert.Equal(["c", "e"], await JsonBody.TagsAsync(response, repository));
    }

    [Fact]
    public async Task Last_after_every_tag_returns_an_empty_list()
    {
        var repository = await PushTagsAsync(["a", "b"]);

        var response = await Client.ListTagsAsync(repository, "last=zzz");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await JsonBody.TagsAsync(response, repository));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task Unknown_repository_returns_404_NAME_UNKNOWN()
    {
        var response = await Client.ListTagsAsync(Names.Repository());

        await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "NAME_UNKNOWN");
    }

    [Fact]
    public async Task Repository_with_only_untagged_manifests_lists_no_tags()
    {
        // "If the repository exists, the registry MUST return 200 OK. The list of tags MAY be empty."
        var repository = Names.Repository();
        await Client.PushImageAsync(repository);

        var response = await Client.ListTagsAsync(repository);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await JsonBody.TagsAsync(response, repository));
    }

    [Fact]
    public async Task Deleted_tags_disappear_from_the_list()
    {
        var repository = await PushTagsAsync(["a", "b", "c"]);

        await HttpAssert.StatusAsync(await Client.DeleteManifestAsync(repository, "b"), HttpStatusCode.Accepted);

        Assert.Equal(["a", "c"], await JsonBody.TagsAsync(await Client.ListTagsAsync(repository), repository));
    }

    [Fact]
    public async Task Tag_lists_are_per_repository()
    {
        var a = await PushTagsAsync(["only-in-a"]);
        var b = await PushTagsAsync(["only-in-b"]);

        Assert.Equal(["only-in-a"], await JsonBody.TagsAsync(await Client.ListTagsAsync(a), a));
        Assert.Equal(["only-in-b"], await JsonBody.TagsAsync(await Client.ListTagsAsync(b), b));
    }

    [Fact]
    public async Task Tag_list_of_a_nested_repository_names_it()
    {
        var repository = $"nested/{Guid.NewGuid():N}/c/d";
        await Client.PushImageAsync(repository, "t");

        var response = await Client.ListTagsAsync(repository);

        Assert.Equal(["t"], await JsonBody.TagsAsync(response, repository));
    }

    /// <summary>Pushes one image and tags it with every tag, in the order given.</summary>
    private async Task<string> PushTagsAsync(IEnumerable<string> tags)
    {
        var repository = Names.Repository();
        var image = await Client.PushImageAsync(repository);
        foreach (var tag in tags)
        {
            await Client.PushManifestAsync(repository, tag, image.Content, image.MediaType);
        }

        return repository;
    }
}
