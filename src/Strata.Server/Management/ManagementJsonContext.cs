using System.Text.Json.Serialization;

namespace Strata.Server.Management;

/// <summary>Source-generated JSON of the management API (camelCase, as Harbor's API).</summary>
[JsonSerializable(typeof(PublicationRequest))]
[JsonSerializable(typeof(PublicationView))]
[JsonSerializable(typeof(List<PublicationView>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ManagementJsonContext : JsonSerializerContext;
