using System.Text.Json.Serialization;

namespace Strata.Server.Publication;

/// <summary>Source-generated JSON for publication payloads.</summary>
[JsonSerializable(typeof(PublishJobPayload))]
[JsonSerializable(typeof(PublicationSummary))]
[JsonSerializable(typeof(WhitelistView))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class PublicationJsonContext : JsonSerializerContext;
