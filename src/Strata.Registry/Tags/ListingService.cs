using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Oci.Errors;

namespace Strata.Registry.Tags;

/// <summary>Tag and catalog listings with <c>n</c>/<c>last</c> pagination.</summary>
public sealed class ListingService(IRepositoryStore repositories, ITagStore tags, IOptions<RegistryOptions> options)
{
    /// <summary>One page of tags; <see cref="Page.HasMore"/> says whether a next page exists.</summary>
    public async Task<Page> ListTagsAsync(string repository, int? n, string? last, CancellationToken cancellationToken)
    {
        if (!await repositories.RepositoryExistsAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            throw new RegistryException(OciErrorCode.NameUnknown, detail: new { name = repository });
        }

        var limit = Limit(n);
        var items = limit == 0 ? [] : await tags.ListTagsAsync(repository, last, limit + 1, cancellationToken).ConfigureAwait(false);
        return Page.From(items, limit);
    }

    public async Task<Page> ListRepositoriesAsync(int? n, string? last, CancellationToken cancellationToken)
    {
        var limit = Limit(n);
        var items = limit == 0 ? [] : await repositories.ListRepositoriesAsync(last, limit + 1, cancellationToken).ConfigureAwait(false);
        return Page.From(items, limit);
    }

    /// <summary>Without <c>n</c> the spec returns everything; we still cap pages at the configured size and link to the rest.</summary>
    private int Limit(int? n) => Math.Min(n ?? int.MaxValue, options.Value.MaxPageSize);

    public sealed record Page(IReadOnlyList<string> Items, bool HasMore)
    {
        /// <summary>The store was asked for one item more than the page holds, to know if there is a next page.</summary>
        public static Page From(IReadOnlyList<string> items, int limit) =>
            items.Count > limit ? new Page(items.Take(limit).ToList(), true) : new Page(items, false);
    }
}
