using System.Globalization;
using System.Net;
using Strata.Server.Tests.Infrastructure;

namespace Strata.Server.Tests.Metrics;

/// <summary><c>/metrics</c>: garbage collection figures in Prometheus text format, moving with real runs.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsEndpointTests : IAsyncLifetime
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
    public async Task Gc_counters_queue_depth_and_last_run_are_exported_in_prometheus_text_format()
    {
        var image = await _registry.Client.PushImageAsync("team/app");
        using (var delete = await _registry.Client.DeleteManifestAsync("team/app", image.Digest))
        {
            Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        }

        // Before a run: the two blobs wait for review; no run yet.
        var before = await ScrapeAsync();
        Assert.Equal(2, Value(before, "strata_gc_queue_blob_reviews"));
        Assert.Equal(0, Value(before, "strata_gc_queue_blobs_deleting"));

        await Task.Delay(500);
        using (var run = await _registry.Http.PostAsync("/api/v1/gc", null))
        {
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        }

        var after = await ScrapeAsync();
        Assert.Equal(1, Value(after, "strata_gc_runs_total", "status=\"succeeded\""));
        Assert.Equal(2, Value(after, "strata_gc_blobs_deleted_total"));
        Assert.Equal(2, Value(after, "strata_gc_blobs_reviewed_total"));
        Assert.Equal(image.Layers.Append(image.Config).Sum(b => b.Size), Value(after, "strata_gc_bytes_freed_bytes_total"));
        Assert.InRange(Value(after, "strata_gc_last_run_duration_seconds"), 0, 60);
        Assert.InRange(Value(after, "strata_gc_last_run_time_seconds"), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        // The queue is empty again (the gauges are cached for 5 s).
        await Task.Delay(TimeSpan.FromSeconds(5.2));
        Assert.Equal(0, Value(await ScrapeAsync(), "strata_gc_queue_blob_reviews"));

        // The SQLite writer's contention figures are there too.
        Assert.Contains("strata_metadata_sqlite_write_hold_seconds_bucket{", after, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await _registry.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the sample named <paramref name="name"/> (with the label, when given); fails when absent.</summary>
    private static double Value(string exposition, string name, string? label = null)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !(line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal)))
            {
                continue;
            }

            if (label is not null && !line.Contains(label, StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            return double.Parse(value, CultureInfo.InvariantCulture);
        }

        Assert.Fail($"no sample {name} {label} in:\n{exposition}");
        return 0;
    }
}
