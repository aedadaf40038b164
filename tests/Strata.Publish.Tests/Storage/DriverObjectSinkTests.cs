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
        var syncfs = new DriverObjectSinkOptions { TargetedSyncLimit = 0 };
        var first = new DriverObjectSink(driver, "repo.test", syncfs);
        var (id, _) = await ObjectWriter.WriteAsync(first, "content"u8.ToArray(), ObjectKind.File, Ct);
        await first.FlushAsync(Ct);
        var path = Path.Combine(_directory, "cvmfs", "repo.test", id.Path);
        var stored = File.ReadAllBytes(path);

        // Written within the barrier's margin: could be an unsynced leftover, so it is written again.
        File.WriteAllBytes(path, []);
        var second = new DriverObjectSink(driver, "repo.test", syncfs);
        await ObjectWriter.WriteAsync(second, "content"u8.ToArray(), ObjectKind.File, Ct);
        await second.FlushAsync(Ct);
        Assert.Equal(stored, File.ReadAllBytes(path));
        Assert.Equal(1L, second.Counters.ObjectsStored);

        // Older than a completed barrier: durable, skipped.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        var third = new DriverObjectSink(driver, "repo.test", syncfs);
        await ObjectWriter.WriteAsync(third, "content"u8.ToArray(), ObjectKind.File, Ct);
        await third.FlushAsync(Ct);
        Assert.Equal((0L, 1L), (third.Counters.ObjectsStored, third.Counters.ObjectsDeduplicated));
    }

    [Fact]
    public async Task A_small_batch_is_fsynced_file_by_file_and_does_not_advance_the_barrier_marker()
    {
        var driver = new FileSystemBlobDriver(_directory);
        var marker = Path.Combine(_directory, "cvmfs-state", "repo.test", "synced-before");
        var small = new DriverObjectSink(driver, "repo.test", new DriverObjectSinkOptions { TargetedSyncLimit = 2 });
        var (a, _) = await ObjectWriter.WriteAsync(small, "one"u8.ToArray(), ObjectKind.File, Ct);
        var (b, _) = await ObjectWriter.WriteAsync(small, "two"u8.ToArray(), ObjectKind.File, Ct);
        await small.FlushAsync(Ct);

        Assert.True(File.Exists(Path.Combine(_directory, "cvmfs", "repo.test", a.Path)));
        Assert.True(File.Exists(Path.Combine(_directory, "cvmfs", "repo.test", b.Path)));
        Assert.False(File.Exists(marker));

        // One object more than the limit: syncfs, and the marker vouches for everything older.
        var large = new DriverObjectSink(driver, "repo.test", new DriverObjectSinkOptions { TargetedSyncLimit = 2 });
        foreach (var content in new[] { "three", "four", "five" })
        {
            await ObjectWriter.WriteAsync(large, System.Text.Encoding.UTF8.GetBytes(content), ObjectKind.File, Ct);
        }

        await large.FlushAsync(Ct);
        Assert.True(File.Exists(marker));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Same_object_twice_in_one_sink_is_written_once_and_large_objects_leave_no_temporary_files(bool barrier)
    {
        var driver = new FileSystemBlobDriver(_directory);
        var sink = new DriverObjectSink(driver, "repo.test", new DriverObjectSinkOptions { UseFileSystemBarrier = barrier, MemorySpoolBytes = 1024, DirectMemoryBytes = 1024, SpoolDirectory = Path.Combine(_directory, "spool") });
        var big = new byte[200_000];
        new Random(3).NextBytes(big);

        var (a, _) = await ObjectWriter.WriteAsync(sink, big, ObjectKind.File, Ct);
        var (b, _) = await ObjectWriter.WriteAsync(sink, big, ObjectKind.File, Ct);
        await sink.FlushAsync(Ct);

        Assert.Equal(a, b);
        Assert.Equal((1L, 1L), (sink.Counters.ObjectsStored, sink.Counters.ObjectsDeduplicated));
        var stored = File.ReadAllBytes(Path.Combine(_directory, "cvmfs", "repo.test", a.Path));
        Assert.Equal(a.Hash, ContentHasher.Compute(ContentHashAlgorithm.Sha1, stored));
        Assert.Equal(big, Inflate(stored));
        var temporaries = barrier ? Path.Combine(_directory, "cvmfs", "repo.test", "data", "txn") : Path.Combine(_directory, "spool");
        Assert.Empty(Directory.Exists(temporaries) ? Directory.EnumerateFiles(temporaries) : []);
    }

    [Fact]
    public async Task Many_objects_of_every_size_are_stored_byte_exact_through_the_writer_queue()
    {
        var driver = new FileSystemBlobDriver(_directory);
        var sink = new DriverObjectSink(driver, "repo.test", new DriverObjectSinkOptions { MaxQueuedObjects = 4, FileWriters = 2, DirectMemoryBytes = 100_000 });
        var random = new Random(5);
        var written = new List<(ObjectId Id, byte[] Content)>();
        foreach (var size in new[] { 0, 1, 65_535, 65_536, 65_537, 99_999, 100_000, 100_001, 300_000, 1_000_000 }.Concat(Enumerable.Range(0, 200).Select(i => random.Next(0, 200_000))))
        {
            var content = new byte[size];
            random.NextBytes(content);
            var (id, _) = await ObjectWriter.WriteAsync(sink, content, ObjectKind.File, Ct);
            written.Add((id, content));
        }

        await sink.FlushAsync(Ct);

        foreach (var (id, content) in written)
        {
            Assert.Equal(content, Inflate(File.ReadAllBytes(Path.Combine(_directory, "cvmfs", "repo.test", id.Path))));
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "cvmfs", "repo.test", "data", "txn")));
    }

    private static byte[] Inflate(byte[] stored)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(stored), System.IO.Compression.CompressionMode.Decompress))
        {
            zlib.CopyTo(output);
        }

        return output.ToArray();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
