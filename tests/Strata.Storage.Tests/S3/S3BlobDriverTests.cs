using Strata.Storage.Drivers;
using Strata.Storage.S3;
using Strata.Storage.Tests.Conformance;

namespace Strata.Storage.Tests.S3;

/// <summary>
/// The conformance suite on a real S3-compatible server (<see cref="S3TestServer"/>), each test in
/// its own key prefix, plus the S3 facts that need no chain (see <see cref="S3ChainTests"/>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class S3BlobDriverTests : BlobDriverConformanceTests
{
    private readonly string _folder = Guid.NewGuid().ToString("N");
    private readonly List<S3BlobDriver> _drivers = [];

    private static S3TestServer Server => S3TestServer.Instance;

    private S3BlobDriver S3Driver => (S3BlobDriver)Driver;

    protected override IBlobDriver CreateDriver() => NewDriver(Server.Options($"{nameof(S3BlobDriverTests)}/{_folder}"));

    [Fact]
    public void Name_is_s3()
    {
        Assert.Equal("s3", Driver.Name);
    }

    [Fact]
    public async Task Put_stores_one_plain_object_at_the_prefixed_key()
    {
        await PutAsync("blobs/sha256/ab/abcdef", [1, 2, 3]);

        var head = await S3Driver.Client.GetObjectMetadataAsync(Server.Bucket, $"{S3Driver.Options.Prefix}/blobs/sha256/ab/abcdef", Ct);
        Assert.Equal(3, head.ContentLength);
        Assert.Null(S3BlobDriver.ReadGeneration(head.Metadata));
    }

    [Fact]
    public async Task Put_larger_than_a_part_is_a_multipart_upload_and_reads_back()
    {
        var content = Pattern((2 * S3DriverOptions.MinimumPartSize) + 12345, seed: 3);

        await PutAsync("object", content);

        var head = await S3Driver.Client.GetObjectMetadataAsync(Server.Bucket, $"{S3Driver.Options.Prefix}/object", Ct);
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
        Assert.Equal(content, await ReadAllAsync("object"));
        Assert.Equal(content[7_000_000..], await ReadAllAsync("object", offset: 7_000_000));
    }

    [Fact]
    public async Task Read_of_a_plain_object_is_not_hashed_again_by_the_sdk()
    {
        // A whole-object GET would be wrapped in the SDK's managed MD5 check of the ETag, which
        // cost a quarter of a replica's CPU when serving blobs; the driver asks for a range instead.
        var content = Pattern(100_000, seed: 11);
        await PutAsync("object", content);

        await using var stream = await Driver.OpenReadAsync("object", 0, Ct);

        var body = Assert.IsType<S3ResponseStream>(stream).Body;
        Assert.IsNotAssignableFrom<Amazon.Runtime.Internal.Util.HashStream>(body);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task Read_of_an_empty_object_is_empty()
    {
        await PutAsync("empty", []);

        Assert.Empty(await ReadAllAsync("empty"));
    }

    [Fact]
    public async Task Put_of_exactly_one_part_is_a_single_put()
    {
        var content = Pattern(S3DriverOptions.MinimumPartSize, seed: 4);

        await PutAsync("object", content);

        var head = await S3Driver.Client.GetObjectMetadataAsync(Server.Bucket, $"{S3Driver.Options.Prefix}/object", Ct);
        Assert.DoesNotContain("-", head.ETag, StringComparison.Ordinal);
        Assert.Equal(content, await ReadAllAsync("object"));
    }

    [Fact]
    public async Task Failed_multipart_put_leaves_no_object_and_no_upload()
    {
        using var source = new Support.FailingStream(new Support.PatternStream(20L << 20), failAfter: 12L << 20);

        await Assert.ThrowsAsync<IOException>(() => Driver.PutAsync("object", source, Ct));

        Assert.Null(await Driver.StatAsync("object", Ct));
        Assert.Equal(0, await S3Driver.AbortStaleUploadsAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Delete_of_a_large_prefix_removes_every_key_in_batches()
    {
        await Parallel.ForAsync(0, 40, Ct, async (i, ct) =>
        {
            using var content = new MemoryStream([(byte)i]);
            await Driver.PutAsync($"many/{i % 4}/object-{i}", content, ct);
        });

        await Driver.DeleteAsync("many", Ct);

        Assert.Empty(await ListAllAsync("many"));
    }

    [Fact]
    public async Task Presigned_url_serves_the_object_without_credentials()
    {
        var content = Pattern(3000);
        await PutAsync("blobs/object", content);
        using var http = new HttpClient();

        var url = S3Driver.CreatePresignedReadUrl("blobs/object", TimeSpan.FromMinutes(5));
        var missing = S3Driver.CreatePresignedReadUrl("blobs/missing");

        Assert.Equal(content, await http.GetByteArrayAsync(url, Ct));
        using var response = await http.GetAsync(missing, Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Abort_stale_uploads_removes_the_parts_of_a_crashed_writer()
    {
        // A process that died half way through a put leaves its multipart upload behind.
        await S3Driver.Client.InitiateMultipartUploadAsync(Server.Bucket, $"{S3Driver.Options.Prefix}/crashed", Ct);

        Assert.Equal(0, await S3Driver.AbortStaleUploadsAsync(TimeSpan.FromHours(1), Ct));
        Assert.Equal(1, await S3Driver.AbortStaleUploadsAsync(TimeSpan.Zero, Ct));
        Assert.Equal(0, await S3Driver.AbortStaleUploadsAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Verify_access_passes_with_the_right_settings()
    {
        await S3Driver.VerifyAccessAsync(Ct);
    }

    [Fact]
    public async Task Wrong_secret_fails_with_a_clear_permanent_error()
    {
        var driver = NewDriver(Server.Options($"{nameof(S3BlobDriverTests)}/{_folder}") with { SecretKey = "wrong" });

        var e = await Assert.ThrowsAsync<S3StorageException>(() => driver.PutAsync("object", new MemoryStream([1]), Ct));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.StatusCode);
        Assert.False(e.IsTransient);
        Assert.Contains("PutObject", e.Message, StringComparison.Ordinal);
        Assert.Contains("/object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_bucket_fails_verification_and_writes()
    {
        var driver = NewDriver(Server.Options($"{nameof(S3BlobDriverTests)}/{_folder}") with { Bucket = "no-such-bucket-" + _folder[..8] });

        var verify = await Assert.ThrowsAsync<S3StorageException>(() => driver.VerifyAccessAsync(Ct));
        var put = await Assert.ThrowsAsync<S3StorageException>(() => driver.PutAsync("object", new MemoryStream([1]), Ct));

        Assert.Equal("NoSuchBucket", verify.ErrorCode);
        Assert.Equal("NoSuchBucket", put.ErrorCode);
    }

    [Fact]
    public async Task Unreachable_server_fails_after_bounded_retries_as_transient()
    {
        var options = Server.Options($"{nameof(S3BlobDriverTests)}/{_folder}") with { ServiceUrl = "http://127.0.0.1:9", MaxErrorRetry = 1 };
        var driver = NewDriver(options);

        var e = await Assert.ThrowsAsync<S3StorageException>(() => driver.StatAsync("object", Ct));

        Assert.True(e.IsTransient);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var driver in _drivers)
            {
                driver.Dispose();
            }

            Task.Run(() => Server.CleanAsync(nameof(S3BlobDriverTests), _folder)).GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private S3BlobDriver NewDriver(S3DriverOptions options)
    {
        var driver = new S3BlobDriver(options);
        _drivers.Add(driver);
        return driver;
    }
}
