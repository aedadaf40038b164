using System.Text.Json;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>Reads JSON response bodies, failing with the whole exchange when they are not what the spec says.</summary>
public static class JsonBody
{
    public static async Task<JsonElement> ParseAsync(HttpResponseMessage response)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"Body is not JSON ({e.Message}):\n{await HttpAssert.DescribeAsync(response)}");
            throw;
        }
    }

    /// <summary>A string array member; fails if it is missing, null or not an array of strings.</summary>
    public static async Task<IReadOnlyList<string>> StringArrayAsync(HttpResponseMessage response, string member)
    {
        var root = await ParseAsync(response);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(member, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            Assert.Fail($"Expected a \"{member}\" array:\n{await HttpAssert.DescribeAsync(response)}");
            return [];
        }

        return [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new InvalidDataException("not a string: " + e))];
    }

    /// <summary><c>GET /v2/&lt;name&gt;/tags/list</c>: <c>{"name": …, "tags": […]}</c>.</summary>
    public static async Task<IReadOnlyList<string>> TagsAsync(HttpResponseMessage response, string repository)
    {
        var root = await ParseAsync(response);
        Assert.True(
            root.TryGetProperty("name", out var name) && name.GetString() == repository,
            $"Tag list must name the repository {repository}:\n{await HttpAssert.DescribeAsync(response)}");
        return await StringArrayAsync(response, "tags");
    }
}
