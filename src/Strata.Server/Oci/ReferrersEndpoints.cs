using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Strata.Metadata.Contracts;
using Strata.Oci.Manifests;
using Strata.Registry;
using Strata.Server.Http;

namespace Strata.Server.Oci;

/// <summary>
/// end-12a/12b: the referrers API. Always 200 with an image index (empty when nothing refers to
/// the digest, as the spec requires); <c>?artifactType=</c> filters and says so in
/// <c>OCI-Filters-Applied</c>; pages of <see cref="RegistryOptions.ReferrersPageSize"/> are linked
/// with <c>Link</c> and a <c>last</c> digest.
/// </summary>
internal static class ReferrersEndpoints
{
    public static async Task GetAsync(HttpContext context, OciRoute route)
    {
        var subject = DigestArgument.Parse(route.Argument);
        string? artifactType = context.Request.Query["artifactType"];
        artifactType = string.IsNullOrEmpty(artifactType) ? null : artifactType;
        string? last = context.Request.Query["last"];
        var pageSize = OciEndpoints.Service<IOptions<RegistryOptions>>(context).Value.ReferrersPageSize;

        var all = await OciEndpoints.Service<IManifestStore>(context).ListReferrersAsync(route.Name, subject, artifactType, context.RequestAborted);
        var remaining = string.IsNullOrEmpty(last) ? all : all.Where(m => string.CompareOrdinal(m.Digest.ToString(), last) > 0).ToList();
        var page = remaining.Take(pageSize).ToList();

        var response = context.Response;
        if (artifactType is not null)
        {
            response.Headers[OciHeaders.FiltersApplied] = "artifactType";
        }

        if (remaining.Count > page.Count)
        {
            var next = $"/v2/{route.Name}/referrers/{subject}?last={Uri.EscapeDataString(page[^1].Digest.ToString())}"
                + (artifactType is null ? "" : $"&artifactType={Uri.EscapeDataString(artifactType)}");
            response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        await JsonResponse.WriteAsync(context, MediaTypes.OciIndex, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.OciIndex);
            json.WriteStartArray("manifests");
            foreach (var manifest in page)
            {
                WriteDescriptor(json, manifest);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void WriteDescriptor(Utf8JsonWriter json, ManifestRecord manifest)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", manifest.MediaType);
        json.WriteString("digest", manifest.Digest.ToString());
        json.WriteNumber("size", manifest.Size);
        if (manifest.ArtifactType is not null)
        {
            json.WriteString("artifactType", manifest.ArtifactType);
        }

        if (manifest.AnnotationsJson is not null)
        {
            json.WritePropertyName("annotations");
            json.WriteRawValue(manifest.AnnotationsJson, skipInputValidation: true);
        }

        json.WriteEndObject();
    }
}
