using Amazon.S3.Model;

namespace Strata.Storage.S3;

/// <summary>
/// One S3 multipart upload in progress: invisible until <see cref="CompleteAsync"/>, which makes
/// the whole object appear at once (replacing any object at the key); <see cref="AbortAsync"/>
/// drops its parts. Parts are numbered from 1; every part but the last must be at least 5 MiB.
/// </summary>
internal sealed class S3MultipartUpload
{
    /// <summary>S3's limit on parts in one upload.</summary>
    public const int MaximumParts = 10_000;

    private readonly S3BlobDriver _driver;
    private readonly string _uploadId;
    private readonly SortedDictionary<int, string> _parts = [];
    private int _nextPart = 1;

    private S3MultipartUpload(S3BlobDriver driver, string key, string uploadId)
    {
        _driver = driver;
        Key = key;
        _uploadId = uploadId;
    }

    public string Key { get; }

    public static async Task<S3MultipartUpload> StartAsync(S3BlobDriver driver, string key, string? generation, CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = driver.Bucket, Key = key, ContentType = S3BlobDriver.ContentType };
        S3BlobDriver.SetGeneration(request.Metadata, generation);
        var response = await S3BlobDriver.CallAsync("CreateMultipartUpload", key,
            () => driver.Client.InitiateMultipartUploadAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new S3MultipartUpload(driver, key, response.UploadId);
    }

    /// <summary>Uploads the next part from the first <paramref name="length"/> bytes of <paramref name="buffer"/>.</summary>
    public async Task UploadPartAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var number = _nextPart++;
        if (number > MaximumParts)
        {
            throw new S3StorageException("UploadPart", Key, $"more than {MaximumParts} parts: raise PartSize to store objects this large");
        }

        var request = new UploadPartRequest
        {
            BucketName = _driver.Bucket,
            Key = Key,
            UploadId = _uploadId,
            PartNumber = number,
            // Seekable, so the SDK can hash it for SigV4 and rewind it for a retry; no aws-chunked
            // encoding (S3-compatible servers refuse it; see S3DriverOptions).
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            UseChunkEncoding = false,
            DisablePayloadSigning = _driver.Options.UnsignedPayload,
        };
        var response = await S3BlobDriver.CallAsync("UploadPart", Key,
            () => _driver.Client.UploadPartAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        _parts[number] = response.ETag;
    }

    /// <summary>Copies bytes <c>[first, last]</c> of <paramref name="sourceKey"/> as part <paramref name="number"/>, inside S3.</summary>
    public async Task CopyPartAsync(int number, string sourceKey, long first, long last, CancellationToken cancellationToken)
    {
        var request = new CopyPartRequest
        {
            SourceBucket = _driver.Bucket,
            SourceKey = sourceKey,
            DestinationBucket = _driver.Bucket,
            DestinationKey = Key,
            UploadId = _uploadId,
            PartNumber = number,
            FirstByte = first,
            LastByte = last,
        };
        var response = await S3BlobDriver.CallAsync("UploadPartCopy", sourceKey,
            () => _driver.Client.CopyPartAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        lock (_parts)
        {
            _parts[number] = response.ETag;
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var request = new CompleteMultipartUploadRequest
        {
            BucketName = _driver.Bucket,
            Key = Key,
            UploadId = _uploadId,
            PartETags = [.. _parts.Select(p => new PartETag(p.Key, p.Value))],
        };
        await S3BlobDriver.CallAsync("CompleteMultipartUpload", Key,
            () => _driver.Client.CompleteMultipartUploadAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the upload's parts, best effort: it runs on failure paths, where the original error
    /// matters more. What an abort misses (a crash, the store down) <see cref="S3BlobDriver.AbortStaleUploadsAsync"/>
    /// or a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes later.
    /// </summary>
    public async Task AbortAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _driver.Client.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _driver.Bucket, Key = Key, UploadId = _uploadId },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (S3BlobDriver.IsStoreFailure(e, CancellationToken.None))
        {
            // Left for the stale-upload sweep.
        }
    }
}
