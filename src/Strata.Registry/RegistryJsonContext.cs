using System.Text.Json.Serialization;

namespace Strata.Registry;

/// <summary>Source-generated JSON metadata for the few types the registry serializes.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
