using System.Text.Json;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Oci.Digests;
using Strata.Oci.Errors;
using Strata.Oci.Manifests;
using Strata.Oci.Names;
using Strata.Registry.Jobs;

namespace Strata.Registry.Manifests;

/// <summary>
/// Manifest push, pull and delete. Manifests are stored byte-exact in metadata, with their
/// references, in one transaction that also checks every descriptor they need is present.
/// </summary>
public sealed class ManifestService(IManifestStore manifests, ITagStore tags, IOptions<RegistryOptions> options, TimeProvider time, JobSignal signal)
{
    /// <summary>
    /// Stores a pushed manifest under a tag or digest reference, plus any extra tags
    /// (<c>?tag=</c>). Every error leaves the repository unchanged.
    /// </summary>
    public async Task<StoredManifest> PutAsync(
        string repository, ManifestReference reference, ReadOnlyMemory<byte> content, string? contentType,
        IReadOnlyList<string> extraTags, CancellationToken cancellationToken)
    {
        foreach (var tag in extraTags)
        {
            if (!TagName.IsValid(tag))
            {
                throw new RegistryException(OciErrorCode.TagInvalid, $"invalid tag '{tag}'");
            }
        }

        var algorithm = reference.Digest?.Algorithm ?? DigestAlgorithm.Sha256;
        var digest = Digest.Compute(algorithm, content.Span);
        if (reference.Digest is { } claimed && claimed != digest)
        {
            throw new RegistryException(OciErrorCode.DigestInvalid, $"manifest digest is {digest}, not {claimed}");
        }

        var document = ManifestParser.Parse(content.Span, contentType);
        var allTags = reference.Tag is null ? extraTags : [reference.Tag, .. extraTags.Where(t => t != reference.Tag)];
        var record = new ManifestRecord(
            repository, digest, document.MediaType, content.Length, document.EffectiveArtifactType,
            document.Subject?.Digest, SerializeAnnotations(document.Annotations), content.ToArray(), time.GetUtcNow());

        var write = new ManifestWrite(
            record,
            document.Blobs.Where(RequiresBlob).Select(b => b.Digest).Distinct().ToList(),
            document.ReferencedManifestDigests.Distinct().ToList(),
            allTags.Distinct().ToList());
        var result = await manifests.PutManifestAsync(write, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var missing = result.MissingBlobs.Concat(result.MissingManifests).Select(d => d.ToString()).ToArray();
            throw new RegistryException(OciErrorCode.ManifestBlobUnknown, $"manifest references unknown content: {string.Join(", ", missing)}", new { missing });
        }

        signal.OutboxChanged();
        return new StoredManifest(digest, document.Subject?.Digest, write.Tags);
    }

    public async Task<ManifestRecord> GetAsync(string repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var record = reference.Digest is { } digest
            ? await manifests.GetManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false)
            : await manifests.GetManifestByTagAsync(repository, reference.Tag!, cancellationToken).ConfigureAwait(false);
        return record ?? throw new RegistryException(OciErrorCode.ManifestUnknown, detail: new { reference = reference.ToString() });
    }

    /// <summary>Deletes a manifest (by digest) or only a tag (by tag), as distribution and the spec do.</summary>
    public async Task DeleteAsync(string repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var deleted = reference.Digest is { } digest
            ? await manifests.DeleteManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false)
            : await tags.DeleteTagAsync(repository, reference.Tag!, cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            throw new RegistryException(OciErrorCode.ManifestUnknown, detail: new { reference = reference.ToString() });
        }

        signal.OutboxChanged();
    }

    public int MaxManifestBytes => options.Value.MaxManifestBytes;

    /// <summary>
    /// Non-distributable ("foreign") layers live elsewhere by definition (their <c>urls</c>), so the
    /// registry does not require them to be pushed.
    /// </summary>
    private static bool RequiresBlob(Descriptor descriptor) =>
        !descriptor.MediaType.Contains("nondistributable", StringComparison.Ordinal)
        && !descriptor.MediaType.Contains(".foreign.", StringComparison.Ordinal);

    private static string? SerializeAnnotations(IReadOnlyDictionary<string, string>? annotations) =>
        annotations is null ? null : JsonSerializer.Serialize(annotations, RegistryJsonContext.Default.IReadOnlyDictionaryStringString);
}
