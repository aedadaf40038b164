using Microsoft.Data.Sqlite;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;

namespace Strata.Metadata.Sqlite;

public sealed partial class SqliteMetadataStore
{
    /// <inheritdoc />
    public Task<PutManifestResult> PutManifestAsync(ManifestWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync(transaction => PutManifest(transaction, write), cancellationToken);
    }

    private PutManifestResult PutManifest(SqliteTransaction transaction, ManifestWrite write)
    {
        var manifest = write.Manifest;

        // Every check runs before the first write, so a refused manifest leaves no trace, not even its
        // repository. The IMMEDIATE transaction holds the write lock, so nothing can unlink in between.
        var repositoryId = FindRepositoryId(transaction, manifest.Repository);
        var missingBlobs = FindMissing(
            transaction, repositoryId, write.BlobReferences,
            "SELECT 1 FROM repository_blobs WHERE repository_id = @repository AND digest = @digest");
        var missingManifests = FindMissing(
            transaction, repositoryId, write.ManifestReferences,
            "SELECT 1 FROM manifests WHERE repository_id = @repository AND digest = @digest");
        if (missingBlobs.Count > 0 || missingManifests.Count > 0)
        {
            return new PutManifestResult(missingBlobs, missingManifests);
        }

        repositoryId ??= EnsureRepository(transaction, manifest.Repository);
        var manifestId = FindManifestId(transaction, repositoryId.Value, manifest.Digest)
            ?? InsertManifest(transaction, repositoryId.Value, write);

        foreach (var tag in write.Tags.Distinct(StringComparer.Ordinal))
        {
            SetTag(transaction, repositoryId.Value, tag, manifestId, manifest);
        }

        return PutManifestResult.Stored;
    }

    /// <summary>The distinct digests of <paramref name="digests"/> the lookup does not find, in input order.</summary>
    private static List<Digest> FindMissing(SqliteTransaction transaction, long? repositoryId, IReadOnlyList<Digest> digests, string lookupSql)
    {
        var missing = new List<Digest>();
        if (digests.Count == 0)
        {
            return missing;
        }

        if (repositoryId is null)
        {
            missing.AddRange(digests.Distinct());
            return missing;
        }

        // One command re-bound per digest: parsed once, however many layers the manifest has.
        using var command = transaction.Command(lookupSql).With("@repository", repositoryId).With("@digest", null);
        foreach (var digest in digests.Distinct())
        {
            command.Parameters["@digest"].Value = digest.ToString();
            if (command.ExecuteScalar() is null)
            {
                missing.Add(digest);
            }
        }

        return missing;
    }

    private static long? FindManifestId(SqliteTransaction transaction, long repositoryId, Digest digest) =>
        transaction.Scalar(
            "SELECT id FROM manifests WHERE repository_id = @repository AND digest = @digest",
            ("@repository", repositoryId),
            ("@digest", digest.ToString())) as long?;

    private long InsertManifest(SqliteTransaction transaction, long repositoryId, ManifestWrite write)
    {
        var manifest = write.Manifest;
        var manifestId = (long)transaction.Scalar(
            """
            INSERT INTO manifests (repository_id, digest, media_type, artifact_type, size, subject_digest, annotations_json, content, created_at)
            VALUES (@repository, @digest, @mediaType, @artifactType, @size, @subject, @annotations, @content, @createdAt)
            RETURNING id
            """,
            ("@repository", repositoryId),
            ("@digest", manifest.Digest.ToString()),
            ("@mediaType", manifest.MediaType),
            ("@artifactType", manifest.ArtifactType),
            ("@size", manifest.Size),
            ("@subject", manifest.Subject?.ToString()),
            ("@annotations", manifest.AnnotationsJson),
            ("@content", manifest.Content),
            ("@createdAt", UnixMilliseconds.From(manifest.CreatedAt)))!;

        InsertReferences(
            transaction, manifestId, write.BlobReferences,
            "INSERT INTO manifest_blob_references (manifest_id, digest) VALUES (@manifest, @digest) ON CONFLICT DO NOTHING");
        InsertReferences(
            transaction, manifestId, write.ManifestReferences,
            "INSERT INTO manifest_manifest_references (manifest_id, child_digest) VALUES (@manifest, @digest) ON CONFLICT DO NOTHING");

        AppendEvent(transaction, OutboxEventKinds.ManifestPushed, manifest.Repository, manifest.Digest.ToString(), tag: null, manifest.MediaType);
        if (write.Tags.Count == 0)
        {
            QueueManifestReview(transaction, repositoryId, manifest.Digest.ToString(), "manifest.untagged");
        }

        return manifestId;
    }

    private static void InsertReferences(SqliteTransaction transaction, long manifestId, IReadOnlyList<Digest> digests, string insertSql)
    {
        if (digests.Count == 0)
        {
            return;
        }

        using var command = transaction.Command(insertSql).With("@manifest", manifestId).With("@digest", null);
        foreach (var digest in digests)
        {
            command.Parameters["@digest"].Value = digest.ToString();
            command.ExecuteNonQuery();
        }
    }
}
