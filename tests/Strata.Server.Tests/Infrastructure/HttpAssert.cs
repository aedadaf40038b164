using System.Net;
using System.Text;
using System.Text.Json;

namespace Strata.Server.Tests.Infrastructure;

/// <summary>
/// Assertions on HTTP responses whose failure messages carry the whole exchange (request line,
/// status, headers, body), so a failing conformance test says what the registry answered.
/// </summary>
public static class HttpAssert
{
    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {(int)expected} {expected}, got:\n{await DescribeAsync(response)}");
        }
    }

    public static async Task StatusAsync(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        if (!expected.Contains(response.StatusCode))
        {
            var wanted = string.Join(" or ", expected.Select(s => ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Fail($"Expected {wanted}, got:\n{await DescribeAsync(response)}");
        }
    }

    /// <summary>All values of a response or content header (multiple header lines stay separate).</summary>
    public static IReadOnlyList<string> HeaderValues(HttpResponseMessage response, string name)
    {
        if (response.Headers.NonValidated.TryGetValues(name, out var values))
        {
            return [.. values];
        }

        if (response.Content.Headers.NonValidated.TryGetValues(name, out var contentValues))
        {
            return [.. contentValues];
        }

        return [];
    }

    /// <summary>The header's value, or null when absent; several lines are joined with ", ".</summary>
    public static string? Header(HttpResponseMessage response, string name)
    {
        var values = HeaderValues(response, name);
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    public static async Task<string> RequiredHeaderAsync(HttpResponseMessage response, string name)
    {
        var value = Header(response, name);
        if (string.IsNullOrEmpty(value))
        {
            Assert.Fail($"Missing header {name}:\n{await DescribeAsync(response)}");
        }

        return value!;
    }

    public static async Task HeaderEqualAsync(HttpResponseMessage response, string name, string expected)
    {
        var value = Header(response, name);
        if (value != expected)
        {
            Assert.Fail($"Expected header {name}: {expected}, got {(value is null ? "(absent)" : value)}:\n{await DescribeAsync(response)}");
        }
    }

    public static async Task NoHeaderAsync(HttpResponseMessage response, string name)
    {
        var value = Header(response, name);
        if (value is not null)
        {
            Assert.Fail($"Expected no {name} header, got {value}:\n{await DescribeAsync(response)}");
        }
    }

    /// <summary>
    /// The spec's error envelope (Error Codes section): status, <c>Content-Type: application/json</c>,
    /// and a body <c>{"errors":[{"code","message","detail"}, …]}</c> in which every entry has a string
    /// code and message and a detail member, and at least one code is among <paramref name="codes"/>
    /// (any code is accepted when none are given).
    /// </summary>
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, params string[] codes)
    {
        await StatusAsync(response, status);
        var described = await DescribeAsync(response);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType == "application/json", $"Error responses must be application/json, got {mediaType ?? "(none)"}:\n{described}");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        }
        catch (JsonException e)
        {
            Assert.Fail($"Error body is not JSON ({e.Message}):\n{described}");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            Assert.True(root.ValueKind == JsonValueKind.Object, $"Error body must be an object:\n{described}");
            Assert.True(root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0,
                $"Error body must have a non-empty \"errors\" array:\n{described}");
            var found = new List<string>();
            foreach (var error in errors.EnumerateArray())
            {
                Assert.True(error.ValueKind == JsonValueKind.Object, $"Each error must be an object:\n{described}");
                Assert.True(error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0,
                    $"Each error needs a string \"code\":\n{described}");
                Assert.True(error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String,
                    $"Each error needs a string \"message\":\n{described}");
                Assert.True(error.TryGetProperty("detail", out _), $"Each error needs a \"detail\" member:\n{described}");
                found.Add(code.GetString()!);
            }

            if (codes.Length > 0)
            {
                Assert.True(found.Any(codes.Contains),
                    $"Expected error code {string.Join(" or ", codes)}, got {string.Join(", ", found)}:\n{described}");
            }
        }
    }

    public static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var text = new StringBuilder();
        var request = response.RequestMessage;
        text.Append(request?.Method).Append(' ').Append(request?.RequestUri?.PathAndQuery)
            .Append(" -> ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase).Append('\n');
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            text.Append("  ").Append(name).Append(": ").Append(string.Join(" | ", values)).Append('\n');
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            text.Append("  ").Append(name).Append(": ").Append(string.Join(" | ", values)).Append('\n');
        }

        var body = await response.Content.ReadAsByteArrayAsync();
        if (body.Length > 0)
        {
            var shown = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 1500));
            text.Append("  body: ").Append(shown);
            if (body.Length > 1500)
            {
                text.Append("… (").Append(body.Length).Append(" bytes)");
            }
        }

        return text.ToString();
    }
}
