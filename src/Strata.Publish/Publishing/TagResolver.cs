using System.Text.Json;
using Strata.Metadata.Contracts;
using Strata.Oci.Errors;
using Strata.Oci.Manifests;
using Strata.Publish.Repository;
using Strata.Storage;
using Strata.Storage.Drivers;

namespace Strata.Publish.Publishing;

/// <summary>
/// Resolves a tag through the metadata store into the images to publish: an image manifest is one
/// platform (read from its config); an index is every Linux image it lists. Attestation manifests
/// (buildx's <c>unknown/unknown</c>), nested indexes and non-Linux platforms are skipped with a
/// reason. Docker and OCI media types alike.
/// </summary>
internal sealed class TagResolver(IManifestStore manifests, IBlobDriver driver, int maxConfigBytes)
{
    public async Task<ResolvedTag> ResolveAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var record = await manifests.GetManifestByTagAsync(repository, tag, cancellationToken).ConfigureAwait(false)
            ?? throw new PublishException($"{repository}:{tag} is not a tag in the registry");
        var document = Parse(record, $"{repository}:{tag}");
        var images = new List<ResolvedImage>();
        var skipped = new List<string>();
        if (!document.IsIndex)
        {
            images.Add(await ImageAsync(repository, document, null, null, cancellationToken).ConfigureAwait(false));
            return new ResolvedTag(record, false, images, skipped);
        }

        foreach (var entry in document.Manifests)
        {
            var what = $"{entry.Digest} ({entry.Platform?.ToString() ?? "no platform"})";
            if (!MediaTypes.IsImageManifest(entry.MediaType))
            {
                skipped.Add($"{what}: {entry.MediaType} is not an image manifest");
                continue;
            }

            if (entry.Annotations?.GetValueOrDefault("vnd.docker.reference.type") == "attestation-manifest" || entry.Platform?.Os == "unknown")
            {
                skipped.Add($"{what}: attestation, not a runnable image");
                continue;
            }

            if (entry.Platform is { Os: not "linux" } other)
            {
                skipped.Add($"{what}: only Linux images are unpacked, not {other.Os}");
                continue;
            }

            var child = await manifests.GetManifestAsync(repository, entry.Digest, cancellationToken).ConfigureAwait(false)
                ?? throw new PublishException($"{repository}:{tag} lists {entry.Digest}, which the registry does not have");
            var image = await ImageAsync(repository, Parse(child, entry.Digest.ToString()), entry.Platform, child.Content, cancellationToken).ConfigureAwait(false);
            if (images.Any(i => i.Platform.Name == image.Platform.Name))
            {
                skipped.Add($"{what}: platform {image.Platform.Name} listed twice, the first is published");
                continue;
            }

            images.Add(image);
        }

        if (images.Count == 0)
        {
            throw new PublishException($"{repository}:{tag} has no Linux image to publish ({string.Join("; ", skipped)})");
        }

        return new ResolvedTag(record, true, images, skipped);
    }

    private async Task<ResolvedImage> ImageAsync(string repository, ManifestDocument document, Platform? declared, byte[]? manifestBytes, CancellationToken cancellationToken)
    {
        if (document.Config is not { } config || config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig))
        {
            throw new PublishException($"{repository}: {document.Config?.MediaType ?? "a manifest without config"} is not a container image (an artifact?)");
        }

        foreach (var layer in document.Layers)
        {
            if (!layer.MediaType.Contains(".tar", StringComparison.Ordinal) && !layer.MediaType.Contains("rootfs.diff", StringComparison.Ordinal))
            {
                throw new PublishException($"{repository}: layer {layer.Digest} has media type {layer.MediaType}, not a tar layer");
            }
        }

        var (os, architecture, variant) = declared is not null
            ? (declared.Os, declared.Architecture, declared.Variant)
            : await ReadPlatformAsync(config, cancellationToken).ConfigureAwait(false);
        return new ResolvedImage(new PlatformImage(os, architecture, string.IsNullOrEmpty(variant) ? null : variant, config.Digest, manifestBytes), document.Layers);
    }

    private async Task<(string Os, string Architecture, string? Variant)> ReadPlatformAsync(Descriptor config, CancellationToken cancellationToken)
    {
        if (config.Size > maxConfigBytes)
        {
            throw new PublishException($"image config {config.Digest} is larger than {maxConfigBytes} bytes");
        }

        byte[] bytes;
        try
        {
            var stream = await driver.OpenReadAsync(BlobPaths.Blob(config.Digest), 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
        }
        catch (StoredObjectNotFoundException e)
        {
            throw new PublishException($"image config {config.Digest} is missing from the blob store", e);
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

            // Configs without a platform are old Docker ones: linux/amd64 was the only choice then.
            return (Text("os") ?? "linux", Text("architecture") ?? "amd64", Text("variant"));
        }
        catch (JsonException e)
        {
            throw new PublishException($"image config {config.Digest} is not JSON", e);
        }
    }

    private static ManifestDocument Parse(ManifestRecord record, string what)
    {
        try
        {
            return ManifestParser.Parse(record.Content, record.MediaType);
        }
        catch (RegistryException e)
        {
            throw new PublishException($"{what}: stored manifest cannot be parsed: {e.Message}", e);
        }
    }
}
