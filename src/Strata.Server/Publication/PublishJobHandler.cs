using System.Text.Json;
using Strata.Metadata.Contracts;
using Strata.Publish.Gc;
using Strata.Publish.Layers;
using Strata.Publish.Publishing;
using Strata.Registry.Jobs;
using Strata.Server.Auth;

namespace Strata.Server.Publication;

/// <summary>
/// Runs a publish job: reconciles one tag with the CernVM-FS repository — published when the tag
/// exists in the registry, removed when it does not. A <see cref="PublishException"/> or a bad
/// layer is permanent (the image itself is wrong, a retry cannot help); anything else (storage,
/// a concurrent commit) is retried with backoff by the worker.
/// </summary>
public sealed class PublishJobHandler(
    ImagePublisher publisher,
    IManifestStore manifests,
    PublicationGate gate,
    RepositoryMaintenanceGate maintenance,
    IPublicationGate? privacy = null) : IJobHandler
{
    public string Kind => PublicationConsumer.JobKind;

    public async Task<string?> RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize(job.Payload, PublicationJsonContext.Default.PublishJobPayload)
            ?? throw new PermanentJobException("publish job without a payload");
        // Never while the repository is being garbage collected (see RepositoryGarbageCollector).
        await using var shared = await maintenance.EnterSharedAsync(cancellationToken).ConfigureAwait(false);
        using var slot = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Privacy (Auth:Enabled): an image its project does not let out is removed, not published.
            var exists = await manifests.GetManifestByTagAsync(payload.Repository, payload.Tag, cancellationToken).ConfigureAwait(false) is not null
                && (privacy is null || await privacy.MayPublishAsync(payload.Repository, cancellationToken).ConfigureAwait(false));
            var result = exists
                ? await publisher.PublishAsync(payload.Repository, payload.Tag, cancellationToken).ConfigureAwait(false)
                : await publisher.UnpublishAsync(payload.Repository, payload.Tag, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(PublicationSummary.From(result, exists), PublicationJsonContext.Default.PublicationSummary);
        }
        catch (Exception e) when (e is PublishException or LayerFormatException)
        {
            throw new PermanentJobException(e.Message, e);
        }
    }
}
