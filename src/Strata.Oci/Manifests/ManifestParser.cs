using System.Text.Json;
using Strata.Oci.Digests;
using Strata.Oci.Errors;

namespace Strata.Oci.Manifests;

/// <summary>
/// Parses and validates a pushed manifest. Decisions:
/// <list type="bullet">
/// <item>The media type is the document's <c>mediaType</c> field, else the request's Content-Type;
/// when both name a manifest type they must agree (a mismatch is MANIFEST_INVALID).</item>
/// <item>Docker schema 1 is refused with a message saying what to do: it is deprecated and
/// unsigned-schema-1 pushes are a security hazard (distribution 3 refuses them too).</item>
/// <item>Descriptors must carry a media type, a valid digest and a non-negative size.</item>
/// </list>
/// </summary>
public static class ManifestParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static ManifestDocument Parse(ReadOnlySpan<byte> content, string? contentType)
    {
        try
        {
            return ParseCore(content, contentType);
        }
        catch (InvalidOperationException e)
        {
            // JsonElement throws this for strings it cannot transcode (invalid UTF-8, lone
            // surrogate escapes): still bad client input, so MANIFEST_INVALID rather than a 500.
            throw Invalid($"manifest has invalid text: {e.Message}");
        }
    }

    private static ManifestDocument ParseCore(ReadOnlySpan<byte> content, string? contentType)
    {
        var headerType = NormalizeContentType(contentType);
        if (headerType is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed)
        {
            throw Schema1();
        }

        JsonDocument json;
        try
        {
            var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
            json = JsonDocument.ParseValue(ref reader);

            // ParseValue stops after the first value; anything but whitespace after it must be
            // refused, or two parsers could read different documents from the same bytes.
            if (reader.Read())
            {
                json.Dispose();
                throw Invalid("manifest has data after the JSON document");
            }
        }
        catch (JsonException e)
        {
            throw Invalid($"manifest is not valid JSON: {e.Message}");
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("manifest must be a JSON object");
            }

            if (!root.TryGetProperty("schemaVersion", out var schema) || schema.ValueKind != JsonValueKind.Number)
            {
                throw Invalid("manifest has no numeric schemaVersion");
            }

            if (schema.GetDouble() == 1)
            {
                throw Schema1();
            }

            if (schema.GetDouble() != 2)
            {
                throw Invalid("schemaVersion must be 2");
            }

            var bodyType = OptionalString(root, "mediaType");
            if (bodyType is not null && MediaTypes.IsManifest(headerType ?? "") && bodyType != headerType)
            {
                throw Invalid($"mediaType '{bodyType}' does not match Content-Type '{headerType}'");
            }

            var mediaType = bodyType ?? (MediaTypes.IsManifest(headerType ?? "") ? headerType! : Infer(root));
            if (!MediaTypes.IsManifest(mediaType))
            {
                throw Invalid($"unsupported manifest media type '{mediaType}'");
            }

            var artifactType = OptionalString(root, "artifactType");
            var subject = root.TryGetProperty("subject", out var s) && s.ValueKind != JsonValueKind.Null ? ParseDescriptor(s, "subject") : null;
            var annotations = ParseAnnotations(root);

            if (MediaTypes.IsIndex(mediaType))
            {
                var manifests = ParseDescriptorArray(root, "manifests", required: true);
                return new ManifestDocument(mediaType, null, [], manifests, subject, artifactType, annotations);
            }

            if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("image manifest has no config descriptor");
            }

            var layers = ParseDescriptorArray(root, "layers", required: mediaType == MediaTypes.DockerManifest);
            return new ManifestDocument(mediaType, ParseDescriptor(config, "config"), layers, [], subject, artifactType, annotations);
        }
    }

    /// <summary>Strips parameters (<c>; charset=…</c>) and whitespace from a Content-Type header.</summary>
    public static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semi = contentType.IndexOf(';');
        return (semi >= 0 ? contentType[..semi] : contentType).Trim().ToLowerInvariant();
    }

    private static string Infer(JsonElement root) =>
        root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex
        : root.TryGetProperty("config", out _) ? MediaTypes.OciManifest
        : "";

    private static List<Descriptor> ParseDescriptorArray(JsonElement root, string property, bool required)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return required ? throw Invalid($"manifest has no '{property}' array") : [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"'{property}' must be an array");
        }

        var list = new List<Descriptor>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(ParseDescriptor(item, $"{property}[{i++}]"));
        }

        return list;
    }

    private static Descriptor ParseDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{where} must be a descriptor object");
        }

        var mediaType = OptionalString(element, "mediaType");
        if (string.IsNullOrEmpty(mediaType))
        {
            throw Invalid($"{where} has no mediaType");
        }

        var digestText = OptionalString(element, "digest");
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new RegistryException(OciErrorCode.ManifestInvalid, $"{where} has an invalid digest '{digestText}'");
        }

        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw Invalid($"{where} has no valid size");
        }

        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"{where} platform must be an object");
            }

            platform = new Platform(
                OptionalString(p, "os") ?? "",
                OptionalString(p, "architecture") ?? "",
                OptionalString(p, "variant"),
                OptionalString(p, "os.version"));
        }

        return new Descriptor(mediaType, digest, size, OptionalString(element, "artifactType"), ParseAnnotations(element), platform);
    }

    private static Dictionary<string, string>? ParseAnnotations(JsonElement element)
    {
        if (!element.TryGetProperty("annotations", out var a) || a.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (a.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("'annotations' must be an object of strings");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in a.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"annotation '{property.Name}' must be a string");
            }

            map[property.Name] = property.Value.GetString()!;
        }

        return map;
    }

    private static string? OptionalString(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"'{property}' must be a string");
    }

    private static RegistryException Invalid(string message) => new(OciErrorCode.ManifestInvalid, message);

    private static RegistryException Schema1() => new(
        OciErrorCode.ManifestInvalid,
        "Docker schema 1 manifests are not supported; push with a current client (it sends schema 2 or OCI manifests)");
}
