using System.Text.Json.Nodes;

namespace Strata.Client.Tests.Support;

/// <summary>Looks entries up in expected/tree-*.jsonl.</summary>
internal static class ExpectedTree
{
    public static JsonObject Entry(string file, string path) =>
        File.ReadLines(TestVectors.Expected(file)).Select(l => JsonNode.Parse(l)!.AsObject()).Single(o => (string)o["path"]! == path);

    public static string Sha256(string file, string path) => (string)Entry(file, path)["sha256"]!;

    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
