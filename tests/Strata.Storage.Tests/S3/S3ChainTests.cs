using System.Security.Cryptography;
using Amazon.S3.Model;
using Strata.Storage.S3;
using Strata.Storage.Tests.Support;

namespace Strata.Storage.Tests.S3;

/// <summary>
/// Appends on S3: chains of segments across writers and driver instances (replicas), their
/// layout in the bucket, and moves that concatenate them inside S3.
/// </summary>
[Trait("Category", "Integration")]
public sealed class S3ChainTests : IDisposable
{
    private const int MiB = 1 << 20;

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(3));
    private readonly string _folder = Guid.NewGuid().ToString("N");
    private readonly List<S3BlobDriver> _drivers = [];

    private static S3TestServer Server => S3TestServer.Instance;

    private CancellationToken Ct => _timeout.Token;

    [Fact]
    public async Task Upload_of_64_MiB_appended_from_two_replicas_then_moved_reads_back_identical()
    {
        // Two driver instances with their own clients: nothing is shared but the bucket.
        var replicas = new[] { NewDriver(), NewDriver() };
        const string upload = "uploads/4f1c/data";
        const string blob = "blobs/sha256/9a/9a7e";
        const long total = 64L * MiB;

        // Chunks of every kind: several parts, exact part sizes, and chunks under 5 MiB that the
        // next writer must read back and merge.
        long[] chunks = [7 * MiB, 3 * MiB, 100_000, 5 * MiB, 12 * MiB + 17, 1, 2 * MiB, 9 * MiB];
        var source = new PatternStream(total, seed: 64);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[MiB];
        long written = 0;
        for (var i = 0; written < total; i++)
        {
            var chunk = Math.Min(i < chunks.Length ? chunks[i] : 10L * MiB, total - written);
            var replica = replicas[i % 2];
            await using (var writer = await replica.OpenWriterAsync(upload, append: written > 0, Ct))
            {
                Assert.Equal(written, writer.Size);
                for (long left = chunk; left > 0;)
                {
                    var n = (int)Math.Min(left, buffer.Length);
                    source.ReadExactly(buffer, 0, n);
                    hash.AppendData(buffer, 0, n);
                    await writer.WriteAsync(buffer.AsMemory(0, n), Ct);
                    left -= n;
                }

                await writer.CommitAsync(Ct);
                written += chunk;
                Assert.Equal(written, writer.Size);
            }

            // The other replica sees exactly what was committed.
            Assert.Equal(written, (await replicas[(i + 1) % 2].StatAsync(upload, Ct))!.Size);
        }

        var segments = await SegmentSizesAsync(replicas[0], upload);
        Assert.True(segments.Count > 2, $"expected a chain, got {segments.Count} segments");
        Assert.All(segments[..^1], size => Assert.True(size >= S3DriverOptions.MinimumPartSize, $"segment of {size} bytes before the last"));
        Assert.Equal(total, segments.Sum());

        await replicas[1].MoveAsync(upload, blob, Ct);

        Assert.Null(await replicas[0].StatAsync(upload, Ct));
        Assert.Empty(await ListKeysAsync(replicas[0], "uploads/"));
        Assert.Equal(total, (await replicas[0].StatAsync(blob, Ct))!.Size);
        var head = await replicas[0].Client.GetObjectMetadataAsync(Server.Bucket, replicas[0].ObjectKey(blob), Ct);
        Assert.Null(S3BlobDriver.ReadGeneration(head.Metadata));
        await using (var read = await replicas[0].OpenReadAsync(blob, 0, Ct))
        {
            Assert.Equal(hash.GetHashAndReset(), await SHA256.HashDataAsync(read, Ct));
        }

        Assert.Equal(0, await replicas[0].AbortStaleUploadsAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Small_appends_merge_into_one_segment_until_it_reaches_5_MiB()
    {
        var driver = NewDriver();
        var content = PatternStream.Bytes((6 * MiB) + 500_000, seed: 5);
        var pieces = new[] { 100_000, 200_000, 3 * MiB, 3 * MiB, 100_000, 100_000 };

        var offset = 0;
        foreach (var piece in pieces)
        {
            await AppendAsync(driver, "upload", content.AsMemory(offset, piece));
            offset += piece;
        }

        // The head grew by merges past 5 MiB; then a new small segment took two more merges.
        Assert.Equal([(6 * MiB) + 300_000, 200_000], await SegmentSizesAsync(driver, "upload"));
        Assert.Equal(content, await ReadAllAsync(driver, "upload"));
    }

    [Fact]
    public async Task Reads_of_a_chain_start_anywhere_and_stop_at_its_end()
    {
        var driver = NewDriver();
        var content = PatternStream.Bytes((11 * MiB) + 5, seed: 6);
        await AppendAsync(driver, "upload", content.AsMemory(0, 6 * MiB));
        await AppendAsync(driver, "upload", content.AsMemory(6 * MiB, 5 * MiB));
        await AppendAsync(driver, "upload", content.AsMemory(11 * MiB, 5));
        Assert.Equal(3, (await SegmentSizesAsync(driver, "upload")).Count);

        foreach (var offset in new[] { 0, 1, (6 * MiB) - 1, 6 * MiB, (6 * MiB) + 1, 11 * MiB, content.Length - 1, content.Length })
        {
            Assert.Equal(content[offset..], await ReadAllAsync(driver, "upload", offset));
        }

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => driver.OpenReadAsync("upload", content.Length + 1, Ct));
    }

    [Fact]
    public async Task Stat_and_list_report_a_chain_as_one_object_of_its_whole_size()
    {
        var driver = NewDriver();
        await AppendAsync(driver, "folder/upload", PatternStream.Bytes(6 * MiB));
        await AppendAsync(driver, "folder/upload", PatternStream.Bytes(1000));
        await driver.PutAsync("folder/plain", new MemoryStream([1, 2]), Ct);
        await driver.PutAsync("folder/upload-sibling", new MemoryStream([3]), Ct);

        var listed = (await driver.ListAsync("folder", Ct).ToListAsync(Ct)).ToDictionary(o => o.Path, o => o.Size);

        Assert.Equal((6 * MiB) + 1000, (await driver.StatAsync("folder/upload", Ct))!.Size);
        Assert.Equal(new Dictionary<string, long>
        {
            ["folder/upload"] = (6 * MiB) + 1000,
            ["folder/plain"] = 2,
            ["folder/upload-sibling"] = 1,
        }, listed);
    }

    [Fact]
    public async Task Writer_disposed_without_commit_keeps_the_last_commit_and_no_upload()
    {
        var driver = NewDriver();
        await AppendAsync(driver, "upload", PatternStream.Bytes(1000));

        await using (var writer = await driver.OpenWriterAsync("upload", append: true, Ct))
        {
            // More than a part: a multipart upload is under way when the writer is abandoned.
            await writer.WriteAsync(PatternStream.Bytes(12 * MiB), Ct);
        }

        Assert.Equal(1000, (await driver.StatAsync("upload", Ct))!.Size);
        Assert.Equal(PatternStream.Bytes(1000), await ReadAllAsync(driver, "upload"));
        Assert.Equal(0, await driver.AbortStaleUploadsAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Uncommitted_data_is_invisible_to_other_replicas()
    {
        var (a, b) = (NewDriver(), NewDriver());
        await AppendAsync(a, "upload", PatternStream.Bytes(2000));

        await using var writer = await a.OpenWriterAsync("upload", append: true, Ct);
        await writer.WriteAsync(PatternStream.Bytes(7 * MiB), Ct);

        Assert.Equal(2000, (await b.StatAsync("upload", Ct))!.Size);
        Assert.Equal(PatternStream.Bytes(2000), await ReadAllAsync(b, "upload"));
        await writer.CommitAsync(Ct);
        Assert.Equal(2000 + (7 * MiB), (await b.StatAsync("upload", Ct))!.Size);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(6 * MiB)]
    public async Task Append_to_a_plain_object_continues_it(int plainSize)
    {
        // A small plain object is read back into the writer; a large one is copied onto itself
        // with the chain marker added, inside S3.
        var driver = NewDriver();
        var first = PatternStream.Bytes(plainSize, seed: 1);
        var second = PatternStream.Bytes(300_000, seed: 2);
        await driver.PutAsync("object", new MemoryStream(first), Ct);

        await AppendAsync(driver, "object", second);

        Assert.Equal(first.Concat(second).ToArray(), await ReadAllAsync(driver, "object"));
        await driver.MoveAsync("object", "moved", Ct);
        Assert.Equal(first.Concat(second).ToArray(), await ReadAllAsync(driver, "moved"));
    }

    [Fact]
    public async Task Put_over_a_chain_leaves_its_segments_ignored_and_delete_removes_them()
    {
        var driver = NewDriver();
        await AppendAsync(driver, "folder/object", PatternStream.Bytes(6 * MiB));
        await AppendAsync(driver, "folder/object", PatternStream.Bytes(1000));

        await driver.PutAsync("folder/object", new MemoryStream([7, 7]), Ct);

        Assert.Equal(2, (await driver.StatAsync("folder/object", Ct))!.Size);
        Assert.Equal([7, 7], await ReadAllAsync(driver, "folder/object"));
        Assert.Equal([2L], (await driver.ListAsync("folder", Ct).ToListAsync(Ct)).Select(o => o.Size));
        Assert.Equal(2, (await ListKeysAsync(driver, "folder/object")).Count);

        await driver.DeleteAsync("folder/object", Ct);

        Assert.Empty(await ListKeysAsync(driver, "folder"));
    }

    [Fact]
    public async Task Writer_without_append_starts_a_new_generation_and_old_segments_go()
    {
        var driver = NewDriver();
        await AppendAsync(driver, "object", PatternStream.Bytes(6 * MiB, seed: 1));
        await AppendAsync(driver, "object", PatternStream.Bytes(6 * MiB, seed: 2));
        var restarted = PatternStream.Bytes(6 * MiB, seed: 3);

        await using (var writer = await driver.OpenWriterAsync("object", append: false, Ct))
        {
            Assert.Null(await driver.StatAsync("object", Ct));
            await writer.WriteAsync(restarted, Ct);
            await writer.CommitAsync(Ct);
        }

        Assert.Equal(restarted, await ReadAllAsync(driver, "object"));
        Assert.Equal([restarted.Length], await SegmentSizesAsync(driver, "object"));
        Assert.Single(await ListKeysAsync(driver, "object"));
    }

    [Fact]
    public async Task Move_of_a_single_segment_chain_is_a_copy_without_the_marker()
    {
        var driver = NewDriver();
        var content = PatternStream.Bytes(70_000);
        await AppendAsync(driver, "uploads/1/data", content);

        await driver.MoveAsync("uploads/1/data", "blobs/x", Ct);

        var head = await driver.Client.GetObjectMetadataAsync(Server.Bucket, driver.ObjectKey("blobs/x"), Ct);
        Assert.Null(S3BlobDriver.ReadGeneration(head.Metadata));
        Assert.Equal(content, await ReadAllAsync(driver, "blobs/x"));
        Assert.Empty(await ListKeysAsync(driver, "uploads"));
    }

    [Fact]
    public async Task Empty_upload_commits_an_empty_object_that_moves_as_one()
    {
        var driver = NewDriver();
        await using (var writer = await driver.OpenWriterAsync("uploads/1/data", append: false, Ct))
        {
            await writer.CommitAsync(Ct);
        }

        Assert.Equal(0, (await driver.StatAsync("uploads/1/data", Ct))!.Size);
        await driver.MoveAsync("uploads/1/data", "blobs/empty", Ct);

        Assert.Equal(0, (await driver.StatAsync("blobs/empty", Ct))!.Size);
        Assert.Empty(await ReadAllAsync(driver, "blobs/empty"));
    }

    [Fact]
    public void Copy_plan_splits_segments_over_5_GiB_and_refuses_small_inner_segments()
    {
        const long gib = 1L << 30;
        var big = new S3StoredObject("p", "g", [new S3Segment("p", 0, 12 * gib, default), new S3Segment("p!g/x", 12 * gib, 100, default)]);

        var parts = S3BlobDriver.PlanCopyParts(big);

        Assert.Equal(4, parts.Count);
        Assert.All(parts[..^1], p => Assert.InRange(p.Last - p.First + 1, S3DriverOptions.MinimumPartSize, S3BlobDriver.MaximumCopySize));
        Assert.Equal(("p!g/x", 0L, 99L), parts[^1]);
        Assert.Equal(12 * gib, parts.Where(p => p.Key == "p").Sum(p => p.Last - p.First + 1));
        var broken = new S3StoredObject("p", "g", [new S3Segment("p", 0, 1000, default), new S3Segment("p!g/x", 1000, 6 * MiB, default)]);
        Assert.Throws<S3StorageException>(() => S3BlobDriver.PlanCopyParts(broken));
    }

    public void Dispose()
    {
        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }

        Task.Run(() => Server.CleanAsync(nameof(S3ChainTests), _folder)).GetAwaiter().GetResult();
        _timeout.Dispose();
    }

    private S3BlobDriver NewDriver()
    {
        var driver = new S3BlobDriver(Server.Options($"{nameof(S3ChainTests)}/{_folder}"));
        _drivers.Add(driver);
        return driver;
    }

    private async Task AppendAsync(S3BlobDriver driver, string path, ReadOnlyMemory<byte> data)
    {
        var existing = await driver.StatAsync(path, Ct);
        await using var writer = await driver.OpenWriterAsync(path, append: existing is not null, Ct);
        await writer.WriteAsync(data, Ct);
        await writer.CommitAsync(Ct);
    }

    private async Task<byte[]> ReadAllAsync(S3BlobDriver driver, string path, long offset = 0)
    {
        await using var stream = await driver.OpenReadAsync(path, offset, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    /// <summary>Sizes of the chain's segments, head first, as resolved by the driver.</summary>
    private async Task<List<long>> SegmentSizesAsync(S3BlobDriver driver, string path) =>
        [.. (await driver.ResolveAsync(path, Ct))!.Segments.Select(s => s.Size)];

    /// <summary>Raw keys in the bucket starting with <paramref name="pathPrefix"/> (segments included).</summary>
    private async Task<List<string>> ListKeysAsync(S3BlobDriver driver, string pathPrefix)
    {
        var response = await driver.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Server.Bucket, Prefix = driver.ObjectKey(pathPrefix) }, Ct);
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }
}
