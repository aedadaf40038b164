using System.Diagnostics;
using System.Text;
using Strata.Publish.Tests.Support;
using Xunit.Abstractions;

namespace Strata.Publish.Tests.Benchmarks;

/// <summary>
/// Throughput numbers, not correctness: run with <c>STRATA_BENCH=1</c>
/// (<c>dotnet test --filter Category=Benchmark</c>). Prints ingest MB/s for a ~100 MB layer next to
/// <c>gzip -dc</c> of the same blob, and the effect of concurrent object writes on small files.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class IngestThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ingest_of_a_100_MB_layer_compared_with_gzip()
    {
        if (Environment.GetEnvironmentVariable("STRATA_BENCH") != "1")
        {
            return;
        }

        var layer = BuildLayer(files: 6000, smallSize: 12 * 1024, bigFiles: 3, bigSize: 8 * 1024 * 1024, out var uncompressed);
        foreach (var (writes, barrier, pipeline) in new[] { (32, false, false), (1, true, false), (32, true, false), (32, true, true) })
        {
            await using var publication = await Publication.CreateAsync(o => o with { PipelineSmallFiles = pipeline, Sink = o.Sink with { MaxConcurrentWrites = writes, UseFileSystemBarrier = barrier } });
            await publication.Registry.PushImageAsync("bench/layer", "1", [layer]);
            var result = await publication.Publisher.PublishAsync("bench/layer", "1", CancellationToken.None);
            output.WriteLine(
                $"concurrent writes {writes}, syncfs barrier {barrier}, pipelined small files {pipeline}: {uncompressed / 1e6:F0} MB uncompressed, {layer.Length / 1e6:F0} MB gzip, {result.Files} files: " +
                $"ingest {result.Timings.Ingest.TotalSeconds:F2} s = {uncompressed / 1e6 / result.Timings.Ingest.TotalSeconds:F0} MB/s, " +
                $"flatten {result.Timings.Flatten.TotalMilliseconds:F0} ms, commit {result.Timings.Commit.TotalMilliseconds:F0} ms, " +
                $"{result.ObjectsStored} objects / {result.StoredBytes / 1e6:F0} MB stored");
        }

        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, layer);
        var stopwatch = Stopwatch.StartNew();
        using (var gzip = Process.Start(new ProcessStartInfo("sh", ["-c", $"gzip -dc {file} > /dev/null"]))!)
        {
            await gzip.WaitForExitAsync();
        }

        output.WriteLine($"gzip -dc: {stopwatch.Elapsed.TotalSeconds:F2} s = {uncompressed / 1e6 / stopwatch.Elapsed.TotalSeconds:F0} MB/s");
        stopwatch.Restart();
        using (var pipeline = Process.Start(new ProcessStartInfo("sh", ["-c", $"gzip -dc {file} | gzip -6 > /dev/null"]))!)
        {
            await pipeline.WaitForExitAsync();
        }

        output.WriteLine($"gzip -dc | gzip -6 (decompress + recompress, no hashing or I/O): {stopwatch.Elapsed.TotalSeconds:F2} s = {uncompressed / 1e6 / stopwatch.Elapsed.TotalSeconds:F0} MB/s");
        File.Delete(file);
    }

    /// <summary>Text-like small files (compress ~4:1, like binaries and libraries) plus a few big ones.</summary>
    private static byte[] BuildLayer(int files, int smallSize, int bigFiles, int bigSize, out long uncompressed)
    {
        var random = new Random(1);
        var words = Enumerable.Range(0, 512).Select(i => Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())).ToLowerInvariant()).ToArray();
        byte[] Content(int size)
        {
            var text = new StringBuilder(size + 32);
            while (text.Length < size)
            {
                text.Append(words[random.Next(words.Length)]).Append(random.Next(4) == 0 ? '\n' : ' ');
            }

            return Encoding.ASCII.GetBytes(text.ToString(0, size));
        }

        var builder = new LayerBuilder();
        uncompressed = 0;
        for (var i = 0; i < files; i++)
        {
            var content = Content(smallSize / 2 + random.Next(smallSize));
            builder.File($"usr/lib/d{i % 100}/f{i}.so", content);
            uncompressed += content.Length;
        }

        for (var i = 0; i < bigFiles; i++)
        {
            var content = Content(bigSize);
            builder.File($"opt/big{i}.bin", content);
            uncompressed += content.Length;
        }

        return builder.TarGz();
    }
}
