using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Gc;

/// <summary>
/// Garbage collection through the server: the background collector with a short grace period, and
/// <c>/api/v1/gc</c> (history, run on demand, dry run, status, usage), over real HTTP.
/// </summary>
public sealed class GcApiTests : IAsyncLifetime
{
    private TestRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await TestRegistry.StartAsync(new Dictionary<string, string?>
    {
        ["Gc:GracePeriod"] = "00:00:00.500",
        ["Gc:Interval"] = "00:00:00.200",
        ["Publish:Enabled"] = "false",
    });

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task A_deleted_image_is_collected_in_the_background_and_its_blobs_answer_404()
    {
        var kept = await _registry.Client.PushImageAsync("team/app", "keep");
        var gone = await _registry.Client.PushImageAsync("team/app", "gone");
        using (var delete = await _registry.Client.DeleteManifestAsync("team/app", gone.Digest))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        // The two blobs may come due in one scheduled run or in two.
        var history = await WaitForAsync(async () =>
        {
            var runs = await GetJsonAsync("/api/v1/gc");
            return runs.EnumerateArray().Sum(r => r.GetProperty("blobsDeleted").GetInt64()) >= 2 ? runs : (JsonElement?)null;
        });

        Assert.All(history.EnumerateArray(), run => Assert.Equal("schedule", run.GetProperty("trigger").GetString()));
        Assert.Equal(2, history.EnumerateArray().Sum(r => r.GetProperty("blobsDeleted").GetInt64()));
        Assert.Equal(gone.Config.Size + gone.Layers.Sum(l => l.Size), history.EnumerateArray().Sum(r => r.GetProperty("bytesFreed").GetInt64()));
        foreach (var blob in gone.Layers.Append(gone.Config))
        {
            using var response = await _registry.Client.GetBlobAsync("team/app", blob.Digest);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        foreach (var blob in kept.Layers.Append(kept.Config))
        {
            using var response = await _registry.Client.GetBlobAsync("team/app", blob.Digest);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(blob.Content, await response.Content.ReadAsByteArrayAsync());
        }

        Assert.DoesNotContain(
            Directory.EnumerateFiles(Path.Combine(_registry.DataDirectory, "storage", "blobs"), "*", SearchOption.AllDirectories),
            f => gone.Layers.Any(l => f.EndsWith(l.Digest.Split(':')[1], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Usage_reports_repositories_and_projects()
    {
        var app = await _registry.Client.PushImageAsync("team/app", "v1", layerCount: 2);
        var tool = await _registry.Client.PushImageAsync("team/tool", "v1");

        var usage = await GetJsonAsync("/api/v1/gc/usage");

        var expected = app.Config.Size + app.Layers.Sum(l => l.Size) + tool.Config.Size + tool.Layers.Sum(l => l.Size);
        Assert.Equal(expected, usage.GetProperty("totalBytes").GetInt64());
        var team = Assert.Single(usage.GetProperty("projects").EnumerateArray());
        Assert.Equal("team", team.GetProperty("name").GetString());
        Assert.Equal(expected, team.GetProperty("referenced").GetInt64());
        Assert.Equal(2, usage.GetProperty("repositories").GetArrayLength());
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

    private static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "garbage collection did not happen within 30 s");
            await Task.Delay(200);
        }
    }
}
