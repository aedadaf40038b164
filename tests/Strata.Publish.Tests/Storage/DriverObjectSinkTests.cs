using System.Text;
using Strata.Cvmfs.Objects;
using Strata.Cvmfs.Writing;
using Strata.Publish.Storage;
using Strata.Storage.FileSystem;

namespace Strata.Publish.Tests.Storage;

public sealed class DriverObjectSinkTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _directory = Directory.CreateTempSubdirectory("strata-sink-").FullName;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Objects_land_under_the_repository_prefix_and_the_root_file_comes_after_them(bool barrier)
    {
        var driver = new FileSystemBlobDriver(_directory);
        var sink = new DriverObjectSink(driver, "repo.test", new DriverObjectSinkOptions { UseFileSystemBarrier = barrier, SpoolDirectory = Path.Combine(_directory, "spool") });

        var (id, _) = await ObjectWriter.WriteAsync(sink, Encoding.UTF8.GetBytes("hello"), ObjectKind.File, Ct);
        await sink.WriteRootFileAsync(".cvmfspublished", "manifest"u8.ToArray(), Ct);

        Assert.True(File.Exists(Path.Combine(_directory, "cvmfs", "repo.test", id.Path)));
        Assert.Equal("manifest", File.ReadAllText(Path.Combine(_directory, "cvmfs", "repo.test", ".cvmfspublished")));
        Assert.Equal((1L, 0L), (sink.Counters.ObjectsStored, sink.Counters.ObjectsDeduplicated));
    }

    [Fact]
    public async Task An_object_is_trusted_for_dedup_only_if_older_than_the_last_sync_barrier()
    {
        var driver = new FileSystemBlobDriver(_directory);
        var first = new DriverObjectSink(driver, "repo.test");
        var (id, _) = await ObjectWriter.WriteAsync(first, "content"u8.ToArray(), ObjectKind.File, Ct);
        await first.FlushAsync(Ct);
        var path = Path.Combine(_directory, "cvmfs", "repo.test", id.Path);
        var stored = File.ReadAllBytes(path);

        // Written within the barrier's margin: could be an unsynced leftover, so it is written again.
        File.WriteAllBytes(path, []);
        var second = new DriverObjectSink(driver, "repo.test");
        await ObjectWriter.WriteAsync(second, "content"u8.ToArray(), ObjectKind.File, Ct);
        await second.FlushAsync(Ct);
        Assert.Equal(stored, File.ReadAllBytes(path));
        Assert.Equal(1L, second.Counters.ObjectsStored);

        // Older than a completed barrier: durable, skipped.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        var third = new DriverObjectSink(driver, "repo.test");
        await ObjectWriter.WriteAsync(third, "content"u8.ToArray(), ObjectKind.File, Ct);
        await third.FlushAsync(Ct);
        Assert.Equal((0L, 1L), (third.Counters.ObjectsStored, third.Counters.ObjectsDeduplicated));
    }

    [Fact]
    public async Task Same_object_twice_in_one_sink_is_written_once_and_large_objects_spool_to_disk()
    {
        var driver = new FileSystemBlobDriver(_directory);
        var sink = new DriverObjectSink(driver, "repo.test", new DriverObjectSinkOptions { MemorySpoolBytes = 1024, SpoolDirectory = Path.Combine(_directory, "spool") });
        var big = new byte[200_000];
        new Random(3).NextBytes(big);

        var (a, _) = await ObjectWriter.WriteAsync(sink, big, ObjectKind.File, Ct);
        var (b, _) = await ObjectWriter.WriteAsync(sink, big, ObjectKind.File, Ct);
        await sink.FlushAsync(Ct);

        Assert.Equal(a, b);
        Assert.Equal((1L, 1L), (sink.Counters.ObjectsStored, sink.Counters.ObjectsDeduplicated));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "spool")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
