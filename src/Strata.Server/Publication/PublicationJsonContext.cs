using System.Text.Json.Serialization;

namespace Strata.Server.Publication;

/// <summary>Source-generated JSON for publication payloads.</summary>
[JsonSerializable(typeof(PublishJobPayload))]
[JsonSerializable(typeof(PublicationSummary))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class PublicationJsonContext : JsonSerializerContext;
