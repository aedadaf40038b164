using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Catalog;

/// <summary>
/// <c>GET /v2/_catalog[?n=&amp;last=]</c>: not part of the OCI spec but of the Docker registry API
/// every registry serves (distribution docs/spec/api.md "Listing Repositories"), with the same
/// rules as the tag list: lexical order, <c>n</c>/<c>last</c>, <c>Link: &lt;…&gt;; rel="next"</c>, and
/// <c>n=0</c> empty without Link. Each test starts its own registry, so the catalog is known exactly.
/// </summary>
public sealed class CatalogTests
{
    private static readonly string[] Unsorted = ["b", "a/x", "a", "c/d/e", "a-b", "a.b", "a_b", "0", "z/z"];

    private static string[] Sorted => [.. Unsorted.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Empty_registry_has_an_empty_catalog()
    {
        await using var registry = await TestRegistry.StartAsync();

        var response = await registry.Client.CatalogAsync();

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await JsonBody.StringArrayAsync(response, "repositories"));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task Catalog_lists_repositories_in_lexical_order()
    {
        await using var registry = await TestRegistry.StartAsync();
        await PushAllAsync(registry.Client);

        var response = await registry.Client.CatalogAsync();

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Sorted, await JsonBody.StringArrayAsync(response, "repositories"));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task Catalog_pagination_follows_links_through_every_repository_once()
    {
        await using var registry = await TestRegistry.StartAsync();
        var client = registry.Client;
        await PushAllAsync(client);
        var collected = new List<string>();
        Uri? url = client.Url("/v2/_catalog?n=4");
        var pages = 0;

        while (url is not null)
        {
            var response = await client.SendAsync(HttpMethod.Get, url);
            await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
            var page = await JsonBody.StringArrayAsync(response, "repositories");
            Assert.True(page.Count <= 4, "page larger than n");
            collected.AddRange(page);
            url = await LinkHeader.NextAsync(response);
            if (url is not null)
            {
                Assert.Equal("/v2/_catalog", url.AbsolutePath);
                Assert.Equal("4", LinkHeader.Query(url)["n"]);
                Assert.Equal(page[^1], LinkHeader.Query(url)["last"]);
            }

            Assert.True(++pages <= 10, "pagination does not terminate");
        }

        Assert.Equal(Sorted, collected);
    }

    [Fact]
    public async Task Catalog_n_zero_returns_an_empty_list_and_no_link()
    {
        await using var registry = await TestRegistry.StartAsync();
        await PushAllAsync(registry.Client);

        var response = await registry.Client.CatalogAsync("n=0");

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(await JsonBody.StringArrayAsync(response, "repositories"));
        await HttpAssert.NoHeaderAsync(response, "Link");
    }

    [Fact]
    public async Task Catalog_last_returns_the_repositories_after_it()
    {
        await using var registry = await TestRegistry.StartAsync();
        await PushAllAsync(registry.Client);

        var response = await registry.Client.CatalogAsync("last=a.b");

        Assert.Equal(Sorted.Where(n => string.CompareOrdinal(n, "a.b") > 0), await JsonBody.StringArrayAsync(response, "repositories"));
    }

    [Fact]
    public async Task Catalog_n_and_last_together_page_and_link()
    {
        await using var registry = await TestRegistry.StartAsync();
        await PushAllAsync(registry.Client);

        var response = await registry.Client.CatalogAsync("n=2&last=" + Uri.EscapeDataString(Sorted[1]));

        Assert.Equal(Sorted[2..4], await JsonBody.StringArrayAsync(response, "repositories"));
        var next = await LinkHeader.NextAsync(response);
        Assert.NotNull(next);
        Assert.Equal(Sorted[3], LinkHeader.Query(next!)["last"]);
    }

    private static async Task PushAllAsync(RegistryClient client)
    {
        foreach (var name in Unsorted)
        {
            await client.PushImageAsync(name, "latest");
        }
    }
}
