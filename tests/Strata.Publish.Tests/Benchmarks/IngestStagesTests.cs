using System.Diagnostics;
using System.Security.Cryptography;
using Strata.Cvmfs.Chunking;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Writing;
using Strata.Oci.Digests;
using Strata.Publish.Layers;
using Strata.Publish.Storage;
using Strata.Publish.Trees;
using Strata.Storage;
using Strata.Storage.FileSystem;
using Xunit.Abstractions;

namespace Strata.Publish.Tests.Benchmarks;

/// <summary>
/// Where ingest time goes, stage by stage, on real layer blobs (<c>STRATA_BENCH=1</c>;
/// <c>STRATA_BENCH_LAYERS</c> = comma-separated layer blob files, default: the publication
/// benchmark's base, runtime and app1 layers). Each stage runs the pipeline up to and including
/// that stage, from the page cache; the cost of a stage is the difference to the stage before.
/// Wall and process CPU seconds are printed beside <c>gzip -dc</c> of the same blob.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class IngestStagesTests(ITestOutputHelper output)
{
    private const string DefaultImages = "/var/tmp/strata-bench/images-scale-1/blobs/sha256/";

    // STRATA_BENCH_PIPELINE=0|1 overrides LayerIngestOptions' default for the ingest stage.
    private static readonly bool Pipeline = Environment.GetEnvironmentVariable("STRATA_BENCH_PIPELINE") is { } pipeline ? pipeline == "1" : new LayerIngestOptions { Catalogs = new CatalogWriteOptions { WorkDirectory = "" } }.PipelineSmallFiles;

    private static readonly string[] Stages = ["gunzip", "+tar", "+xor32", "+sha1", "encode", "store", "ingest"];

    [Fact]
    public async Task Ingest_stages()
    {
        if (Environment.GetEnvironmentVariable("STRATA_BENCH") != "1")
        {
            return;
        }

        var layers = (Environment.GetEnvironmentVariable("STRATA_BENCH_LAYERS")
                      ?? string.Join(',', new[] { "d1a134b75655d", "3df14c83ba3ed", "8a89d572e7e68" }
                          .Select(p => Directory.EnumerateFiles(DefaultImages, p + "*").Single()))).Split(',');
        var level = int.Parse(Environment.GetEnvironmentVariable("STRATA_BENCH_LEVEL") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var raw = Environment.GetEnvironmentVariable("STRATA_BENCH_RAW") != "0";
        var repeats = int.Parse(Environment.GetEnvironmentVariable("STRATA_BENCH_REPEATS") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
        var only = Environment.GetEnvironmentVariable("STRATA_BENCH_STAGES")?.Split(',') ?? Stages;
        var content = new FileContentOptions { CompressionLevel = level, StoreIncompressibleUncompressed = raw };
        var works = new List<DirectoryInfo>();
        output.WriteLine($"zlib level {level}, incompressible stored as is: {raw}; best of {repeats}; processors {Environment.ProcessorCount}");
        foreach (var layer in layers)
        {
            var (gzipWall, gzipCpu) = Gzip(layer);
            long tarBytes = 0;
            output.WriteLine($"{Path.GetFileName(layer)[..12]}: {new FileInfo(layer).Length / 1e6:F1} MB gzip; gzip -dc {gzipWall:F2} s wall, {gzipCpu:F2} s CPU");
            foreach (var stage in Stages.Where(only.Contains))
            {
                double bestWall = double.MaxValue, bestCpu = double.MaxValue, bestUser = double.MaxValue;
                long allocated = 0;
                for (var r = 0; r < repeats; r++)
                {
                    GC.Collect();
                    // Removed only at the end: on ext4 without a journal (the test VM) files created
                    // within ~35 s of a mass unlink in the same block group cost several times more.
                    var work = Directory.CreateTempSubdirectory("strata-stages-");
                    works.Add(work);
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var user = Process.GetCurrentProcess().UserProcessorTime;
                    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    var wall = Stopwatch.StartNew();
                    tarBytes = await RunAsync(stage, layer, work.FullName, content);
                    var wallSeconds = wall.Elapsed.TotalSeconds;
                    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                    bestWall = Math.Min(bestWall, wallSeconds);
                    bestCpu = Math.Min(bestCpu, cpuSeconds);

                    // User time apart: the kernel's share of file creation swings with the filesystem's recent unlinks.
                    bestUser = Math.Min(bestUser, (Process.GetCurrentProcess().UserProcessorTime - user).TotalSeconds);
                    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                }

                output.WriteLine($"  {stage,-7} {bestWall,6:F2} s wall {bestCpu,6:F2} s CPU ({bestUser:F2} user) {allocated / 1e6,6:F0} MB allocated  {tarBytes / 1e6 / bestWall,6:F0} MB/s  wall ratio to gzip -dc {gzipWall / bestWall:F2}, CPU ratio {gzipCpu / bestCpu:F2}");
            }
        }

        works.ForEach(w => w.Delete(recursive: true));
    }

    private static async Task<long> RunAsync(string stage, string layer, string work, FileContentOptions content)
    {
        if (stage is "store" or "ingest")
        {
            var driver = new FileSystemBlobDriver(Path.Combine(work, "blobs"));
            var sink = new DriverObjectSink(driver, "bench.strata.test", new DriverObjectSinkOptions { SpoolDirectory = Path.Combine(work, "spool") });
            if (stage == "ingest")
            {
                var hex = Path.GetFileName(layer);
                var digest = Digest.Parse("sha256:" + hex);
                var target = Path.Combine(driver.RootDirectory, BlobPaths.Blob(digest));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.CreateSymbolicLink(target, layer);
                var cache = new CatalogCache(new DriverRepositorySource(driver, "bench.strata.test"), Path.Combine(work, "catalogs"));
                var ingester = new LayerIngester(driver, sink, cache, new LayerIngestOptions { Content = content, PipelineSmallFiles = Pipeline, Catalogs = new CatalogWriteOptions { WorkDirectory = Path.Combine(work, "build") } });
                var result = await ingester.IngestAsync(digest, CancellationToken.None);
                await sink.FlushAsync(CancellationToken.None);
                return result.UncompressedBytes;
            }

            var stored = await ReadAsync(layer, new FileContentWriter(sink, content), null, null);
            await sink.FlushAsync(CancellationToken.None);
            return stored;
        }

        return stage switch
        {
            "gunzip" => await GunzipAsync(layer),
            "+tar" => await ReadAsync(layer, null, null, null),
            "+xor32" => await ReadAsync(layer, null, ChunkingParameters.Default, null),
            "+sha1" => await ReadAsync(layer, null, ChunkingParameters.Default, IncrementalHash.CreateHash(HashAlgorithmName.SHA1)),
            "encode" => await ReadAsync(layer, new FileContentWriter(new NullSink(), content), null, null),
            _ => throw new ArgumentOutOfRangeException(nameof(stage)),
        };
    }

    private static async Task<long> GunzipAsync(string layer)
    {
        await using var file = File.OpenRead(layer);
        var (tar, _) = await LayerDecompressor.OpenAsync(file, new LayerLimits(), CancellationToken.None);
        await using var _ = tar;
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await tar.ReadAsync(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }

    private static async Task<long> ReadAsync(string layer, FileContentWriter? writer, ChunkingParameters? chunking, IncrementalHash? hash)
    {
        await using var file = File.OpenRead(layer);
        var (tar, _) = await LayerDecompressor.OpenAsync(file, new LayerLimits(), CancellationToken.None);
        await using var reader = new LayerTarReader(tar, new LayerLimits());
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (await reader.NextAsync(CancellationToken.None) is { } entry)
        {
            if (entry.Type != LayerEntryType.File)
            {
                continue;
            }

            await using var content = reader.OpenContent();
            if (writer is not null)
            {
                total += (await writer.WriteAsync(content, CancellationToken.None)).Size;
                continue;
            }

            var detector = chunking is null ? null : new Xor32ChunkDetector(chunking);
            int n;
            while ((n = await content.ReadAsync(buffer)) > 0)
            {
                total += n;
                var at = 0;
                while (detector is not null && at < n)
                {
                    var cut = detector.FindBoundary(buffer.AsSpan(at, n - at));
                    at = cut < 0 ? n : at + cut;
                }

                hash?.AppendData(buffer.AsSpan(0, n));
            }

            hash?.GetHashAndReset();
        }

        return total;
    }

    private static (double Wall, double Cpu) Gzip(string layer)
    {
        var best = (Wall: double.MaxValue, Cpu: double.MaxValue);
        for (var i = 0; i < 3; i++)
        {
            var start = new ProcessStartInfo("bash", ["-c", "TIMEFORMAT='%3U %3S'; { time gzip -dc \"$0\" > /dev/null; } 2>&1", layer]) { RedirectStandardOutput = true };
            var stopwatch = Stopwatch.StartNew();
            using var gzip = Process.Start(start)!;
            var times = gzip.StandardOutput.ReadToEnd().Trim().Split(' ');
            gzip.WaitForExit();
            var wall = stopwatch.Elapsed.TotalSeconds;
            var cpu = double.Parse(times[0], System.Globalization.CultureInfo.InvariantCulture) + double.Parse(times[1], System.Globalization.CultureInfo.InvariantCulture);
            best = (Math.Min(best.Wall, wall), Math.Min(best.Cpu, cpu));
        }

        return best;
    }

    private sealed class NullSink : IObjectSink
    {
        public Task<IPendingObject> CreateAsync(CancellationToken cancellationToken) => Task.FromResult<IPendingObject>(new Pending());

        public Task WriteRootFileAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => Task.CompletedTask;

        private sealed class Pending : IPendingObject
        {
            public Stream Content { get; } = Stream.Null;

            public Task CommitAsync(ObjectId id, CancellationToken cancellationToken) => Task.CompletedTask;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
