using System.Diagnostics;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Writing;
using Strata.Publish.Layers;
using Strata.Publish.Tests.Support;
using Xunit.Abstractions;

namespace Strata.Publish.Tests.Benchmarks;

/// <summary>Where ingest time goes, stage by stage, on the benchmark layer (STRATA_BENCH=1).</summary>
[Trait("Category", "Benchmark")]
public sealed class IngestStagesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ingest_stages()
    {
        if (Environment.GetEnvironmentVariable("STRATA_BENCH") != "1")
        {
            return;
        }

        var random = new Random(1);
        var builder = new LayerBuilder();
        long total = 0;
        for (var i = 0; i < 6000; i++)
        {
            var content = new byte[6 * 1024 + random.Next(12 * 1024)];
            for (var j = 0; j < content.Length; j++)
            {
                content[j] = (byte)('a' + random.Next(16));
            }

            builder.File($"usr/lib/d{i % 100}/f{i}.so", content);
            total += content.Length;
        }

        var layer = builder.TarGz();
        foreach (var stage in new[] { "read", "encode", "encode-level1", "sink" })
        {
            var stopwatch = Stopwatch.StartNew();
            var (tar, _) = await LayerDecompressor.OpenAsync(new MemoryStream(layer), new LayerLimits(), CancellationToken.None);
            await using var reader = new LayerTarReader(tar, new LayerLimits());
            var sink = new NullSink();
            var writer = new FileContentWriter(sink, new FileContentOptions { CompressionLevel = stage == "encode-level1" ? 1 : ObjectEncoder.DefaultCompressionLevel });
            var buffer = new byte[81920];
            while (await reader.NextAsync(CancellationToken.None) is { } entry)
            {
                await using var content = reader.OpenContent();
                if (stage == "read")
                {
                    while (await content.ReadAsync(buffer) > 0)
                    {
                    }
                }
                else
                {
                    await writer.WriteAsync(content, CancellationToken.None);
                }
            }

            output.WriteLine($"{stage}: {stopwatch.Elapsed.TotalSeconds:F2} s = {total / 1e6 / stopwatch.Elapsed.TotalSeconds:F0} MB/s");
        }
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
