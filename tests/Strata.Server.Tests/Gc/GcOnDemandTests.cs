using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Gc;

/// <summary><c>POST /api/v1/gc</c> with the background collector off: a dry run, then the real run it predicted.</summary>
public sealed class GcOnDemandTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(new Dictionary<string, string?>
    {
        ["Gc:Enabled"] = "false",
        ["Gc:GracePeriod"] = "00:00:00.300",
        ["Publish:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task A_dry_run_reports_what_the_real_run_then_deletes()
    {
        var image = await _registry.Client.PushImageAsync("team/app");
        using (var delete = await _registry.Client.DeleteManifestAsync("team/app", image.Digest))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        await Task.Delay(500);
        string[] expected = [.. image.Layers.Append(image.Config).Select(b => b.Digest).Order(StringComparer.Ordinal)];

        var dry = await PostJsonAsync("/api/v1/gc?dryRun=true&sweepStorage=true");

        Assert.Equal(expected, dry.GetProperty("blobs").EnumerateArray().Select(b => b.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(2, CountStoredBlobs());
        var status = await GetJsonAsync("/api/v1/gc/status");
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, status.GetProperty("backlog").GetProperty("blobReviews").GetInt64());

        var real = await PostJsonAsync("/api/v1/gc?sweepStorage=true");

        Assert.Equal(expected, real.GetProperty("blobs").EnumerateArray().Select(b => b.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(dry.GetProperty("bytesFreed").GetInt64(), real.GetProperty("bytesFreed").GetInt64());
        Assert.Equal(0, CountStoredBlobs());
        var history = await GetJsonAsync("/api/v1/gc");
        Assert.Equal([false, true], history.EnumerateArray().Select(r => r.GetProperty("dryRun").GetBoolean()));
        Assert.All(history.EnumerateArray(), r => Assert.Equal("api", r.GetProperty("trigger").GetString()));
    }

    private int CountStoredBlobs()
    {
        var blobs = Path.Combine(_registry.DataDirectory, "storage", "blobs");
        return Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count() : 0;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _registry.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<JsonElement> PostJsonAsync(string path)
    {
        using var response = await _registry.Http.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
