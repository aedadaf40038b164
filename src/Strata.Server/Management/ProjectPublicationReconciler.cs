using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Registry.Jobs;
using Strata.Server.Publication;

namespace Strata.Server.Management;

/// <summary>
/// After a project's visibility or private-publication consent changes, queues a publish job for
/// every tag of its repositories that the publication rules select; each job then publishes or
/// removes the image according to the project's new state (<c>IPublicationGate</c>). Without
/// this, an image published while the project was public would stay in the CernVM-FS repository
/// after the project became private, until its next push. Walks the repositories and tags in
/// pages (bounded memory); does nothing when publication is off.
/// </summary>
internal static class ProjectPublicationReconciler
{
    private const int PageSize = 1000;

    public static async Task RequeueAsync(HttpContext context, string project, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<PublicationOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }

        var rules = new PublicationRules(options.EffectiveRules);
        var repositories = services.GetRequiredService<IRepositoryStore>();
        var tags = services.GetRequiredService<ITagStore>();
        var queue = services.GetRequiredService<IJobQueue>();
        var time = services.GetRequiredService<TimeProvider>();
        var prefix = project + "/";
        var queued = 0;
        string? lastRepository = prefix;
        while (true)
        {
            var page = await repositories.ListRepositoriesAsync(lastRepository, PageSize, cancellationToken);
            var mine = page.TakeWhile(r => r.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            foreach (var repository in mine)
            {
                string? lastTag = null;
                while (true)
                {
                    var tagPage = await tags.ListTagsAsync(repository, lastTag, PageSize, cancellationToken);
                    foreach (var tag in tagPage.Where(t => rules.Matches(repository, t)))
                    {
                        await PublicationConsumer.EnqueueAsync(queue, repository, tag, time.GetUtcNow(), cancellationToken);
                        queued++;
                    }

                    if (tagPage.Count < PageSize)
                    {
                        break;
                    }

                    lastTag = tagPage[^1];
                }
            }

            if (mine.Count < page.Count || page.Count < PageSize)
            {
                break;
            }

            lastRepository = page[^1];
        }

        if (queued > 0)
        {
            services.GetRequiredService<JobSignal>().JobQueued();
        }
    }
}
