using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Strata.Identity.Access;
using Strata.Identity.Principals;
using Strata.Identity.Rbac;
using Strata.Metadata.Contracts;
using Strata.Metadata.Contracts.Identity;
using Strata.Oci.Errors;
using Strata.Registry;
using Strata.Server.Http;

namespace Strata.Server.Auth;

/// <summary>
/// <c>/v2/_catalog</c> with access control: only repositories of projects where the caller may
/// list or pull repositories (an administrator sees all). Repositories are stored in name order and a
/// project's repositories are the range that starts with <c>project/</c>, so the page is built by
/// walking the visible projects' ranges in order (each a keyset query on the repository index);
/// paging with <c>n</c>/<c>last</c> and the <c>Link</c> header work as without access control.
/// </summary>
public sealed class CatalogFilter(IIdentityStore identities, IRepositoryStore repositories, AccessEvaluator evaluator, IOptions<RegistryOptions> options)
{
    public async Task WriteAsync(HttpContext context, Principal principal)
    {
        var query = context.Request.Query;
        int limit = options.Value.MaxPageSize;
        if (query["n"] is { Count: > 0 } text)
        {
            limit = int.TryParse(text, out var value) && value >= 0
                ? Math.Min(value, limit)
                : throw new RegistryException(OciErrorCode.PaginationNumberInvalid, $"invalid n '{text}'");
        }

        string? last = query["last"];
        if (string.IsNullOrEmpty(last))
        {
            last = null;
        }

        var items = limit == 0 ? new List<string>() : await ListAsync(principal, last, limit + 1, context.RequestAborted).ConfigureAwait(false);
        var hasMore = items.Count > limit;
        var page = hasMore ? items.Take(limit).ToList() : items;
        if (hasMore)
        {
            context.Response.Headers.Link = $"</v2/_catalog?n={page.Count}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }

        await JsonResponse.WriteAsync(context, "application/json", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var item in page)
            {
                json.WriteStringValue(item);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task<List<string>> ListAsync(Principal principal, string? last, int wanted, CancellationToken cancellationToken)
    {
        if (principal.IsAdmin)
        {
            return [.. await repositories.ListRepositoriesAsync(last, wanted, cancellationToken).ConfigureAwait(false)];
        }

        var prefixes = new List<string>();
        foreach (var project in await identities.ListProjectsAsync(cancellationToken).ConfigureAwait(false))
        {
            var access = await evaluator.EvaluateAsync(principal, project, cancellationToken).ConfigureAwait(false);
            // Robots hold pull without list: whoever may pull a repository may know its name.
            if (access.Allows(Resources.Repository, Actions.List) || access.Allows(Resources.Repository, Actions.Pull))
            {
                prefixes.Add(project.Name + "/");
            }
        }

        prefixes.Sort(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var prefix in prefixes)
        {
            // The range of this project: names starting with the prefix, after `last`.
            if (last is not null && string.CompareOrdinal(last, prefix) >= 0 && !last.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            // One keyset query per project: the rows after `after` are this project's until the first
            // name outside the prefix, and no more than the page still needs are asked for.
            var after = last is not null && string.CompareOrdinal(last, prefix) > 0 ? last : prefix;
            var batch = await repositories.ListRepositoriesAsync(after, wanted - result.Count, cancellationToken).ConfigureAwait(false);
            result.AddRange(batch.TakeWhile(n => n.StartsWith(prefix, StringComparison.Ordinal)));
            if (result.Count >= wanted)
            {
                break;
            }
        }

        return result;
    }
}
