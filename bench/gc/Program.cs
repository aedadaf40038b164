using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Diagnostics.Metrics;
using Strata.Metadata.Contracts;
using Strata.Metadata.Sqlite;
using Strata.Oci.Digests;
using Strata.Server.Hosting;

// Garbage collection at scale (issue 7): a registry with N blobs of which 10% are garbage (images
// whose tag was deleted), generated directly (blob files + metadata through the store API); then
// the push/pull throughput of the running registry over HTTP without collection, and again while
// one collection run (POST /api/v1/gc) deletes the garbage. Usage: bench/gc-bench.sh [options].
var blobs = Arg("--blobs", 100_000);
var layersPerImage = Arg("--layers", 9);
var garbagePercent = Arg("--garbage-percent", 10);
var clients = Arg("--clients", 4);
var loadSeconds = Arg("--load-seconds", 20);
var blobBytes = Arg("--blob-bytes", 256);
var pushBytes = Arg("--push-bytes", 64 * 1024);
var concurrency = Arg("--gc-concurrency", 4);
var batchSize = Arg("--batch-size", 200);
var workShare = ArgDouble("--work-share", 0.5);
var data = Path.Combine(Path.GetTempPath(), "strata-gc-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
Console.WriteLine($"# Garbage collection benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {Load()}; .NET {Environment.Version}; SQLite + filesystem in {data}");

try
{
    var images = blobs / (layersPerImage + 1);
    var garbageImages = images * garbagePercent / 100;
    var generation = Stopwatch.StartNew();
    await GenerateAsync(data, images, garbageImages, layersPerImage, blobBytes);
    Console.WriteLine($"generated {images * (layersPerImage + 1):N0} blobs of {blobBytes} B in {images:N0} images, {garbageImages:N0} untagged ({garbageImages * (layersPerImage + 1):N0} garbage blobs) in {generation.Elapsed.TotalSeconds:F1} s");

    await using var app = StrataServer.Build([], new Dictionary<string, string?>
    {
        ["Data"] = data,
        ["Listen"] = "127.0.0.1:0",
        ["Gc:Enabled"] = "false",
        // The generated data is an hour old (see GenerateAsync); the load's own pushes stay protected.
        ["Gc:GracePeriod"] = "00:10:00",
        ["Gc:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
        ["Gc:ReviewBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        ["Gc:WorkShare"] = workShare.ToString(CultureInfo.InvariantCulture),
        ["Publish:Enabled"] = "false",
        ["Auth:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    });
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = StrataServer.GetListeningUri(app), Timeout = TimeSpan.FromMinutes(30) };

    Console.WriteLine(Invariant($"gc settings: concurrency {concurrency}, review batch {batchSize}, work share {workShare}"));
    using var locks = new WriteLockListener();
    var warm = await LoadAsync(http, clients, TimeSpan.FromSeconds(3), pushBytes, "warm", () => false);
    locks.Reset();
    var cpuBefore = ProcessCpuSeconds();
    var without = await LoadAsync(http, clients, TimeSpan.FromSeconds(loadSeconds), pushBytes, "base", () => false);
    var cpuWithout = ProcessCpuSeconds() - cpuBefore;
    var locksWithout = locks.Snapshot();
    Console.WriteLine($"without gc: {without}");
    locks.Reset();
    cpuBefore = ProcessCpuSeconds();

    var gcWatch = Stopwatch.StartNew();
    var gcDone = false;
    var gc = Task.Run(async () =>
    {
        using var response = await http.PostAsync("api/v1/gc", null);
        var body = await response.Content.ReadAsStringAsync();
        gcDone = true;
        gcWatch.Stop();
        return JsonDocument.Parse(body).RootElement.Clone();
    });
    var during = await LoadAsync(http, clients, TimeSpan.FromHours(1), pushBytes, "during", () => gcDone);
    var report = await gc;
    var cpuDuring = ProcessCpuSeconds() - cpuBefore;
    var locksDuring = locks.Snapshot();

    // The anchor again, after the collection: on a shared machine the load drifts, so the ratio is
    // taken against the mean of the phases before and after.
    var afterGc = await LoadAsync(http, clients, TimeSpan.FromSeconds(loadSeconds), pushBytes, "after", () => false);
    Console.WriteLine($"after gc:   {afterGc}");
    var anchor = (without.OpsPerSecond + afterGc.OpsPerSecond) / 2;
    var deleted = report.GetProperty("blobsDeleted").GetInt64();
    var manifests = report.GetProperty("manifestsDeleted").GetInt64();
    var seconds = gcWatch.Elapsed.TotalSeconds;
    Console.WriteLine($"during gc:  {during}");
    Console.WriteLine();
    Console.WriteLine("| figure | value |");
    Console.WriteLine("|---|---:|");
    Console.WriteLine(Invariant($"| blobs in the registry | {images * (layersPerImage + 1):N0} |"));
    Console.WriteLine(Invariant($"| garbage blobs deleted / manifests deleted | {deleted:N0} / {manifests:N0} |"));
    Console.WriteLine(Invariant($"| bytes freed | {report.GetProperty("bytesFreed").GetInt64():N0} |"));
    Console.WriteLine(Invariant($"| time to collect (status {report.GetProperty("status").GetString()}) | {seconds:F1} s |"));
    Console.WriteLine(Invariant($"| blob deletions per second | {deleted / seconds:F0} |"));
    Console.WriteLine(Invariant($"| reviews decided per second (every uploaded blob is reviewed once) | {(images * (layersPerImage + 1) + garbageImages) / seconds:F0} |"));
    Console.WriteLine(Invariant($"| push+pull ops/s without gc | {without.OpsPerSecond:F1} |"));
    Console.WriteLine(Invariant($"| push+pull ops/s during gc | {during.OpsPerSecond:F1} |"));
    Console.WriteLine(Invariant($"| push+pull ops/s after gc (same load, garbage gone) | {afterGc.OpsPerSecond:F1} |"));
    Console.WriteLine(Invariant($"| **during / without (mean of before and after)** | **{during.OpsPerSecond / anchor:P0}** (goal >= 90%) |"));
    Console.WriteLine(Invariant($"| during / before only | {during.OpsPerSecond / without.OpsPerSecond:P0} |"));
    Console.WriteLine(Invariant($"| process CPU s per 1,000 push+pull ops without gc | {cpuWithout * 1000 / Math.Max(1, without.Operations):F2} |"));
    Console.WriteLine(Invariant($"| process CPU s during gc (load + collection), of which per 1,000 reviews beyond the load's own rate | {cpuDuring:F1} s, {(cpuDuring - cpuWithout / without.Elapsed.TotalSeconds * during.Elapsed.TotalSeconds) * 1000 / (images * (layersPerImage + 1) + garbageImages):F2} |"));
    Console.WriteLine(Invariant($"| pull p50 / p99 ms without gc | {without.PullP50:F1} / {without.PullP99:F1} |"));
    Console.WriteLine(Invariant($"| pull p50 / p99 ms during gc | {during.PullP50:F1} / {during.PullP99:F1} |"));
    Console.WriteLine(Invariant($"| push p50 / p99 ms without gc | {without.PushP50:F1} / {without.PushP99:F1} |"));
    Console.WriteLine(Invariant($"| push p50 / p99 ms during gc | {during.PushP50:F1} / {during.PushP99:F1} |"));
    Console.WriteLine();
    Console.WriteLine("SQLite write lock by operation (count; mean and p99 wait ms; total and mean hold ms; share of wall time held):");
    Console.WriteLine();
    WriteLockListener.Print("without gc", locksWithout, without.Elapsed);
    WriteLockListener.Print("during gc", locksDuring, during.Elapsed);
    Console.WriteLine();
    Console.WriteLine($"after: load {Load()}; warm-up {warm.Operations} ops");
    await app.StopAsync();
    return 0;
}
finally
{
    if (!args.Contains("--keep"))
    {
        Directory.Delete(data, recursive: true);
    }
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

double ArgDouble(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

// utime + stime of this process (server, load clients and collector share it), in seconds.
static double ProcessCpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

// Blob files are written straight into the filesystem driver's layout (no fsync: this is set-up, not
// the measurement); metadata goes through the store API, so every review queue is what pushes make.
static async Task GenerateAsync(string data, int images, int garbageImages, int layersPerImage, int blobBytes)
{
    var storage = Path.Combine(data, "storage");
    // Written as if an hour ago, so that every review is due past the grace period when the run starts.
    await using var store = new SqliteMetadataStore(Path.Combine(data, "strata.db"), new ShiftedTimeProvider(TimeSpan.FromHours(-1)));
    await store.InitializeAsync(default);
    var buffer = new byte[blobBytes];
    for (var image = 0; image < images; image++)
    {
        var repository = $"project{image % 20}/app{image % 100}";
        var digests = new List<(Digest Digest, long Size)>();
        for (var layer = 0; layer <= layersPerImage; layer++)
        {
            BitConverter.TryWriteBytes(buffer, image);
            BitConverter.TryWriteBytes(buffer.AsSpan(4), layer);
            var digest = Digest.Compute(DigestAlgorithm.Sha256, buffer);
            var path = Path.Combine(storage, "blobs", "sha256", digest.Hex[..2], digest.Hex);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, buffer);
            await store.LinkBlobAsync(repository, new BlobRecord(digest, blobBytes, DateTimeOffset.UtcNow), default);
            digests.Add((digest, blobBytes));
        }

        var json = Manifest(digests);
        var record = new ManifestRecord(repository, Digest.Compute(DigestAlgorithm.Sha256, json), "application/vnd.oci.image.manifest.v1+json", json.Length, null, null, null, json, DateTimeOffset.UtcNow);
        var tag = $"t{image}";
        var result = await store.PutManifestAsync(new ManifestWrite(record, [.. digests.Select(d => d.Digest)], [], [tag]), default);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("generation failed");
        }

        if (image < garbageImages)
        {
            await store.DeleteTagAsync(repository, tag, default);
        }
    }
}

static byte[] Manifest(IReadOnlyList<(Digest Digest, long Size)> blobs)
{
    static string Descriptor(string mediaType, (Digest Digest, long Size) blob) => $$"""{"mediaType":"{{mediaType}}","digest":"{{blob.Digest}}","size":{{blob.Size}}}""";
    return Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{Descriptor("application/vnd.oci.image.config.v1+json", blobs[0])}},"layers":[{{string.Join(",", blobs.Skip(1).Select(b => Descriptor("application/vnd.oci.image.layer.v1.tar", b)))}}]}""");
}

// Each client loops: push one fresh blob (monolithic POST) and a manifest tagging it, then pull that
// manifest and blob back, until the time is up or the stop condition holds.
static async Task<LoadResult> LoadAsync(HttpClient http, int clients, TimeSpan duration, int pushBytes, string label, Func<bool> stop)
{
    var pushes = new List<double>();
    var pulls = new List<double>();
    var operations = 0;
    var watch = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
    {
        var content = new byte[pushBytes];
        var sequence = 0;
        while (watch.Elapsed < duration && !stop())
        {
            RandomNumberGenerator.Fill(content);
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
            var repository = $"load/{label}{client}";
            var push = Stopwatch.StartNew();
            using (var body = new ByteArrayContent(content))
            {
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await http.PostAsync($"v2/{repository}/blobs/uploads/?digest={digest}", body);
                response.EnsureSuccessStatusCode();
            }

            var config = $$"""{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{digest}}","size":{{pushBytes}}}""";
            var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{config}},"layers":[{{config.Replace("config.v1+json", "layer.v1.tar")}}]}""");
            var tag = $"v{sequence++}";
            using (var body = new ByteArrayContent(manifest))
            {
                body.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
                using var response = await http.PutAsync($"v2/{repository}/manifests/{tag}", body);
                response.EnsureSuccessStatusCode();
            }

            lock (pushes)
            {
                pushes.Add(push.Elapsed.TotalMilliseconds);
            }

            var pull = Stopwatch.StartNew();
            using (var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{tag}"))
            {
                request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            using (var response = await http.GetAsync($"v2/{repository}/blobs/{digest}"))
            {
                response.EnsureSuccessStatusCode();
                var bytes = await response.Content.ReadAsByteArrayAsync();
                if (bytes.Length != pushBytes)
                {
                    throw new InvalidOperationException("short blob");
                }
            }

            lock (pushes)
            {
                pulls.Add(pull.Elapsed.TotalMilliseconds);
                operations += 2;
            }
        }
    })).ToList();
    await Task.WhenAll(tasks);
    return new LoadResult(operations, watch.Elapsed, pushes, pulls);
}

internal sealed record LoadResult(int Operations, TimeSpan Elapsed, List<double> Pushes, List<double> Pulls)
{
    public double OpsPerSecond => Operations / Elapsed.TotalSeconds;

    public double PushP50 => Percentile(Pushes, 0.5);
    public double PushP99 => Percentile(Pushes, 0.99);
    public double PullP50 => Percentile(Pulls, 0.5);
    public double PullP99 => Percentile(Pulls, 0.99);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Operations} ops (push = blob + manifest, pull = manifest + blob) in {Elapsed.TotalSeconds:F1} s = {OpsPerSecond:F1} ops/s; push p50 {PushP50:F1} ms, pull p50 {PullP50:F1} ms");

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}

/// <summary>The system clock shifted by a fixed offset (generated data "from an hour ago").</summary>
internal sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
