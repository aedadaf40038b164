using System.Net;
using System.Text.Json;

namespace Strata.ScaleOut.Tests.Infrastructure;

/// <summary>Checks of the answers a replica gives while a backend is down.</summary>
public static class OciAssert
{
    /// <summary>The status, an OCI error envelope with <paramref name="code"/>, a Retry-After, and no internals in the body.</summary>
    public static async Task RetryableErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Headers.RetryAfter?.Delta is { } delay && delay > TimeSpan.Zero, $"no Retry-After on {(int)response.StatusCode}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }
}
