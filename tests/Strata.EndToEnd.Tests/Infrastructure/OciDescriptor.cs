using System.Text.Json.Nodes;

namespace Strata.EndToEnd.Tests.Infrastructure;

/// <summary>An OCI content descriptor: what a manifest or an index.json says about a blob.</summary>
public sealed record OciDescriptor(string MediaType, string Digest, long Size)
{
    /// <summary><c>os/architecture</c> when the descriptor carries a platform.</summary>
    public string? Platform { get; init; }

    public static OciDescriptor FromJson(JsonNode node)
    {
        var platform = node["platform"];
        return new OciDescriptor(
            node["mediaType"]!.GetValue<string>(),
            node["digest"]!.GetValue<string>(),
            node["size"]!.GetValue<long>())
        {
            Platform = platform is null ? null : $"{platform["os"]}/{platform["architecture"]}",
        };
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["mediaType"] = MediaType, ["digest"] = Digest, ["size"] = Size };
        if (Platform is not null)
        {
            var parts = Platform.Split('/');
            json["platform"] = new JsonObject { ["architecture"] = parts[1], ["os"] = parts[0] };
        }

        return json;
    }
}
