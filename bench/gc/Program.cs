using System.Diagnostics;
using System.Globalization;
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
if (args.Length > 0 && args[0] == "load")
{
    return await LoadGenerator.RunAsync(args);
}

var blobs = Arg("--blobs", 100_000);
var layersPerImage = Arg("--layers", 9);
var garbagePercent = Arg("--garbage-percent", 10);
var clients = Arg("--clients", 4);
var loadSeconds = Arg("--load-seconds", 20);
var blobBytes = Arg("--blob-bytes", 256);
var pushBytes = Arg("--push-bytes", 64 * 1024);
var concurrency = Arg("--gc-concurrency", 4);
var batchSize = Arg("--batch-size", 200);
var workShare = ArgDouble("--work-share", 0.15);
var warmUpSeconds = Arg("--warm-up-seconds", 20);
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
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    });
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = StrataServer.GetListeningUri(app), Timeout = TimeSpan.FromMinutes(30) };

    Console.WriteLine(Invariant($"gc settings: concurrency {concurrency}, review batch {batchSize}, work share {workShare}"));
    using var locks = new WriteLockListener();
    var records = Path.Combine(data, "load-records.txt");
    using var generator = StartLoadGenerator(StrataServer.GetListeningUri(app), clients, pushBytes, records);

    // One continuous load from here on; the phases are windows of it. The warm-up lets the JIT, the
    // HTTP connections and SQLite's caches settle, so "before" is not a cold start.
    var warmUpStarted = LoadGenerator.UnixMilliseconds();
    await Task.Delay(TimeSpan.FromSeconds(warmUpSeconds));
    locks.Reset();
    var cpuBefore = ProcessCpuSeconds();
    var beforeStarted = LoadGenerator.UnixMilliseconds();
    await Task.Delay(TimeSpan.FromSeconds(loadSeconds));
    var beforeEnded = LoadGenerator.UnixMilliseconds();
    var cpuWithout = ProcessCpuSeconds() - cpuBefore;
    var locksWithout = locks.Snapshot();
    locks.Reset();
    cpuBefore = ProcessCpuSeconds();

    var gcWatch = Stopwatch.StartNew();
    JsonElement report;
    using (var response = await http.PostAsync("api/v1/gc", null))
    {
        report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    gcWatch.Stop();
    var gcEnded = LoadGenerator.UnixMilliseconds();
    var cpuDuring = ProcessCpuSeconds() - cpuBefore;
    var locksDuring = locks.Snapshot();

    // The anchor again, after the collection: the ratio is taken against the mean of the phases before
    // and after, so a drift of the machine (or of the registry warming up further) cancels out.
    await Task.Delay(TimeSpan.FromSeconds(loadSeconds));
    var afterEnded = LoadGenerator.UnixMilliseconds();
    var operations = await StopLoadGeneratorAsync(generator, records);
    var warm = LoadResult.Of(operations, warmUpStarted, beforeStarted);
    var without = LoadResult.Of(operations, beforeStarted, beforeEnded);
    var during = LoadResult.Of(operations, beforeEnded, gcEnded);
    var afterGc = LoadResult.Of(operations, gcEnded, afterEnded);
    Console.WriteLine($"load: {clients} clients in a separate process, warm-up {warmUpSeconds} s ({warm.Operations} ops)");
    Console.WriteLine($"without gc: {without}");
    Console.WriteLine($"after gc:   {afterGc}");
    var anchor = (without.OpsPerSecond + afterGc.OpsPerSecond) / 2;
    var deleted = report.GetProperty("blobsDeleted").GetInt64();
    var manifests = report.GetProperty("manifestsDeleted").GetInt64();
    var seconds = gcWatch.Elapsed.TotalSeconds;
    Console.WriteLine($"during gc:  {during}");
    Console.WriteLine(Invariant($"baseline drift (after / before): {afterGc.OpsPerSecond / without.OpsPerSecond:P0}"));
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
    Console.WriteLine($"after: load {Load()}");
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

// utime + stime of this process (the server and its collector; the load runs in its own process), in seconds.
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

// The load generator: this program again, in load mode, its output the operations it completed.
static Process StartLoadGenerator(Uri server, int clients, int pushBytes, string records)
{
    var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        info.ArgumentList.Add(typeof(LoadGenerator).Assembly.Location);
    }

    foreach (var argument in (string[])["load", server.ToString(), clients.ToString(CultureInfo.InvariantCulture), pushBytes.ToString(CultureInfo.InvariantCulture), records])
    {
        info.ArgumentList.Add(argument);
    }

    return Process.Start(info)!;
}

static async Task<List<OperationRecord>> StopLoadGeneratorAsync(Process generator, string records)
{
    generator.StandardInput.Close();
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    await generator.WaitForExitAsync(timeout.Token);
    if (generator.ExitCode != 0)
    {
        throw new InvalidOperationException($"the load generator failed (exit {generator.ExitCode})");
    }

    return [.. (await File.ReadAllLinesAsync(records)).Select(OperationRecord.Parse)];
}

internal sealed record LoadResult(int Operations, TimeSpan Elapsed, List<double> Pushes, List<double> Pulls)
{
    /// <summary>The operations that completed within [from, to) (Unix ms), as one phase.</summary>
    public static LoadResult Of(IReadOnlyList<OperationRecord> records, double from, double to)
    {
        var phase = records.Where(r => r.EndedAt >= from && r.EndedAt < to).ToList();
        return new LoadResult(
            phase.Count,
            TimeSpan.FromMilliseconds(to - from),
            [.. phase.Where(r => r.Kind == 'P').Select(r => r.Milliseconds)],
            [.. phase.Where(r => r.Kind == 'G').Select(r => r.Milliseconds)]);
    }

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
