using Npgsql;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;

namespace Strata.Metadata.Postgres;

public sealed partial class PostgresMetadataStore
{
    /// <inheritdoc />
    public Task<PutManifestResult> PutManifestAsync(ManifestWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync((transaction, token) => PutManifestAsync(transaction, write, token), cancellationToken);
    }

    private async Task<PutManifestResult> PutManifestAsync(NpgsqlTransaction transaction, ManifestWrite write, CancellationToken cancellationToken)
    {
        var manifest = write.Manifest;

        // Every check runs before the first write, so a refused manifest leaves no trace, not even its
        // repository. FOR KEY SHARE keeps what was found until commit: an unlink or a delete of a child
        // manifest waits for this transaction, while other pushes sharing those rows do not.
        var repositoryId = await FindRepositoryIdAsync(transaction, manifest.Repository, cancellationToken).ConfigureAwait(false);
        var missingBlobs = await FindMissingAsync(
            transaction, repositoryId, write.BlobReferences,
            "SELECT digest FROM repository_blobs WHERE repository_id = @repository AND digest = ANY(@digests) FOR KEY SHARE",
            cancellationToken).ConfigureAwait(false);
        var missingManifests = await FindMissingAsync(
            transaction, repositoryId, write.ManifestReferences,
            "SELECT digest FROM manifests WHERE repository_id = @repository AND digest = ANY(@digests) FOR KEY SHARE",
            cancellationToken).ConfigureAwait(false);
        if (missingBlobs.Count > 0 || missingManifests.Count > 0)
        {
            return new PutManifestResult(missingBlobs, missingManifests);
        }

        repositoryId ??= await EnsureRepositoryAsync(transaction, manifest.Repository, cancellationToken).ConfigureAwait(false);
        var events = new List<PendingOutboxEvent>();
        var manifestId = await EnsureManifestAsync(transaction, repositoryId.Value, write, events, cancellationToken).ConfigureAwait(false);
        await SetTagsAsync(transaction, repositoryId.Value, write.Tags, manifestId, manifest, events, cancellationToken).ConfigureAwait(false);
        await AppendEventsAsync(transaction, events, cancellationToken).ConfigureAwait(false);
        return PutManifestResult.Stored;
    }

    /// <summary>The distinct digests of <paramref name="digests"/> the lookup does not find, in input order.</summary>
    private static async Task<List<Digest>> FindMissingAsync(
        NpgsqlTransaction transaction,
        long? repositoryId,
        IReadOnlyList<Digest> digests,
        string lookupSql,
        CancellationToken cancellationToken)
    {
        var distinct = digests.Distinct().ToList();
        if (distinct.Count == 0 || repositoryId is null)
        {
            return distinct;
        }

        // One round trip however many layers the manifest has.
        var found = (await transaction.Command(lookupSql)
            .With("@repository", repositoryId.Value)
            .With("@digests", distinct.Select(d => d.ToString()).ToArray())
            .ListAsync(reader => reader.GetString(0), cancellationToken).ConfigureAwait(false))
            .ToHashSet(StringComparer.Ordinal);
        return distinct.Where(d => !found.Contains(d.ToString())).ToList();
    }

    /// <summary>
    /// The manifest's id, stored first (with its references and a ManifestPushed event) if the
    /// repository does not have it yet.
    /// </summary>
    private async Task<long> EnsureManifestAsync(
        NpgsqlTransaction transaction,
        long repositoryId,
        ManifestWrite write,
        List<PendingOutboxEvent> events,
        CancellationToken cancellationToken)
    {
        var manifest = write.Manifest;
        var digest = manifest.Digest.ToString();

        // A few rounds at most: a concurrent delete can remove the row between the insert that found it
        // and the lookup (then it is stored anew), and a concurrent push can insert it in between (then
        // ON CONFLICT waited for that push's commit, and the lookup sees it).
        for (var round = 0; round < 5; round++)
        {
            // FOR KEY SHARE: a delete of this manifest waits until the tags set below are committed.
            var existing = await transaction
                .Command("SELECT id FROM manifests WHERE repository_id = @repository AND digest = @digest FOR KEY SHARE")
                .With("@repository", repositoryId)
                .With("@digest", digest)
                .ScalarAsync<long?>(cancellationToken).ConfigureAwait(false);
            if (existing is { } existingId)
            {
                return existingId;
            }

            var inserted = await transaction
                .Command("""
                    INSERT INTO manifests (repository_id, digest, media_type, artifact_type, size, subject_digest, annotations_json, content, created_at)
                    VALUES (@repository, @digest, @mediaType, @artifactType, @size, @subject, @annotations, @content, @createdAt)
                    ON CONFLICT (repository_id, digest) DO NOTHING
                    RETURNING id
                    """)
                .With("@repository", repositoryId)
                .With("@digest", digest)
                .With("@mediaType", manifest.MediaType)
                .With("@artifactType", manifest.ArtifactType)
                .With("@size", manifest.Size)
                .With("@subject", manifest.Subject?.ToString())
                .With("@annotations", manifest.AnnotationsJson)
                .With("@content", manifest.Content)
                .With("@createdAt", ToMilliseconds(manifest.CreatedAt))
                .ScalarAsync<long?>(cancellationToken).ConfigureAwait(false);
            if (inserted is not { } manifestId)
            {
                continue;
            }

            await InsertReferencesAsync(
                transaction, manifestId, write.BlobReferences,
                "INSERT INTO manifest_blob_references (manifest_id, digest) SELECT @manifest, d FROM unnest(@digests) AS d ON CONFLICT DO NOTHING",
                cancellationToken).ConfigureAwait(false);
            await InsertReferencesAsync(
                transaction, manifestId, write.ManifestReferences,
                "INSERT INTO manifest_manifest_references (manifest_id, child_digest) SELECT @manifest, d FROM unnest(@digests) AS d ON CONFLICT DO NOTHING",
                cancellationToken).ConfigureAwait(false);
            events.Add(new PendingOutboxEvent(OutboxEventKinds.ManifestPushed, manifest.Repository, digest, Tag: null, manifest.MediaType));
            if (write.Tags.Count == 0)
            {
                await QueueManifestReviewAsync(transaction, repositoryId, digest, "manifest.untagged", cancellationToken).ConfigureAwait(false);
            }

            return manifestId;
        }

        throw new InvalidOperationException($"Manifest {digest} in '{manifest.Repository}' could neither be found nor stored (concurrent deletes).");
    }

    private static async Task InsertReferencesAsync(
        NpgsqlTransaction transaction,
        long manifestId,
        IReadOnlyList<Digest> digests,
        string insertSql,
        CancellationToken cancellationToken)
    {
        if (digests.Count == 0)
        {
            return;
        }

        await transaction.Command(insertSql)
            .With("@manifest", manifestId)
            .With("@digests", digests.Select(d => d.ToString()).Distinct(StringComparer.Ordinal).ToArray())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }
}
