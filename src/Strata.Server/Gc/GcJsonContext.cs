using System.Text.Json.Serialization;
using Strata.Metadata.Contracts.Gc;
using Strata.Registry.Gc;

namespace Strata.Server.Gc;

/// <summary>Source-generated JSON of the garbage collection API (camelCase, as the rest of the management API).</summary>
[JsonSerializable(typeof(GcReport))]
[JsonSerializable(typeof(List<GcRunRecord>))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(GcStatusView))]
[JsonSerializable(typeof(CvmfsGcReport))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class GcJsonContext : JsonSerializerContext;
