using System.Text.Json;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// Writes manifest documents (OCI image manifest and index, Docker schema 2 manifest and list) as
/// compact UTF-8 JSON. The registry must store and serve these bytes unchanged, so tests keep the
/// exact bytes they pushed and compare against them.
/// </summary>
public static class ManifestJson
{
    public static byte[] OciManifest(
        Descriptor config,
        IReadOnlyList<Descriptor> layers,
        Descriptor? subject = null,
        string? artifactType = null,
        IReadOnlyDictionary<string, string>? annotations = null,
        Action<Utf8JsonWriter>? extraFields = null) =>
        Write(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciManifest);
            if (artifactType is not null)
            {
                writer.WriteString("artifactType", artifactType);
            }

            writer.WritePropertyName("config");
            WriteDescriptor(writer, config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(writer, layer);
            }

            writer.WriteEndArray();
            if (subject is not null)
            {
                writer.WritePropertyName("subject");
                WriteDescriptor(writer, subject);
            }

            WriteAnnotations(writer, annotations);
            extraFields?.Invoke(writer);
        });

    public static byte[] OciIndex(
        IReadOnlyList<Descriptor> manifests,
        Descriptor? subject = null,
        string? artifactType = null,
        IReadOnlyDictionary<string, string>? annotations = null) =>
        Write(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            if (artifactType is not null)
            {
                writer.WriteString("artifactType", artifactType);
            }

            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                WriteDescriptor(writer, manifest);
            }

            writer.WriteEndArray();
            if (subject is not null)
            {
                writer.WritePropertyName("subject");
                WriteDescriptor(writer, subject);
            }

            WriteAnnotations(writer, annotations);
        });

    public static byte[] DockerManifest(Descriptor config, IReadOnlyList<Descriptor> layers) =>
        Write(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.DockerManifest);
            writer.WritePropertyName("config");
            WriteDescriptor(writer, config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                WriteDescriptor(writer, layer);
            }

            writer.WriteEndArray();
        });

    public static byte[] DockerManifestList(IReadOnlyList<Descriptor> manifests) =>
        Write(writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.DockerManifestList);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                WriteDescriptor(writer, manifest);
            }

            writer.WriteEndArray();
        });

    public static void WriteDescriptor(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.ArtifactType is not null)
        {
            writer.WriteString("artifactType", descriptor.ArtifactType);
        }

        if (descriptor.Data is not null)
        {
            writer.WriteString("data", descriptor.Data);
        }

        if (descriptor.Platform is not null)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("architecture", descriptor.Platform.Architecture);
            writer.WriteString("os", descriptor.Platform.Os);
            writer.WriteEndObject();
        }

        WriteAnnotations(writer, descriptor.Annotations);
        writer.WriteEndObject();
    }

    private static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return;
        }

        writer.WriteStartObject("annotations");
        foreach (var (key, value) in annotations)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
