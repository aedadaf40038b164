using System.Text.Json;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Registry.Jobs;

namespace Strata.Server.Publication;

/// <summary>
/// Turns tag changes in the outbox into publish jobs for tags the rules select. The job is keyed
/// by <c>repository:tag</c> and reconciles that tag with the registry when it runs, so a burst of
/// pushes to one tag costs one publication (queued jobs are merged).
/// </summary>
public sealed class PublicationConsumer(IJobQueue queue, IOptions<PublicationOptions> options, TimeProvider time) : IOutboxConsumer
{
    public const string JobKind = "publish";

    private readonly PublicationRules _rules = new(options.Value.EffectiveRules);

    public string Name => "publication";

    public async Task HandleAsync(OutboxEvent change, CancellationToken cancellationToken)
    {
        if (change.Tag is null || change.Kind is not (OutboxEventKinds.TagSet or OutboxEventKinds.TagDeleted))
        {
            return;
        }

        if (!_rules.Matches(change.Repository, change.Tag))
        {
            return;
        }

        await EnqueueAsync(queue, change.Repository, change.Tag, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public static Task<long> EnqueueAsync(IJobQueue queue, string repository, string tag, DateTimeOffset now, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(
            JobKind,
            $"{repository}:{tag}",
            JsonSerializer.Serialize(new PublishJobPayload(repository, tag), PublicationJsonContext.Default.PublishJobPayload),
            now,
            cancellationToken);
}
