using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Strata.Storage.Drivers;

namespace Strata.Storage.S3;

/// <summary>
/// Stores objects in an S3 bucket (AWS or any S3-compatible server), so several stateless
/// replicas can share one store. Path <c>a/b</c> is key <c>&lt;prefix&gt;/a/b</c>.
/// <code>
/// &lt;prefix&gt;/
///   blobs/sha256/ab/abcdef…                  plain object (Put, Move): the key holds all the bytes
///   uploads/&lt;id&gt;/data                         chain head: bytes [0, n0), metadata strata-chain=&lt;gen&gt;
///   uploads/&lt;id&gt;/data!&lt;gen&gt;/0000000000008388608   chain segment: the bytes from offset 8388608 on
///   uploads/&lt;id&gt;/data!&lt;gen&gt;/0000000000016777216   …
/// </code>
/// <para>
/// <b>Whole objects.</b> <see cref="PutAsync"/> streams through one buffer of
/// <see cref="S3DriverOptions.PartSize"/> (or of the content's length, when a seekable stream
/// says it is smaller): content that fits is one PutObject, anything larger a multipart upload,
/// part by part. Either way the object appears only when S3 has all of it (PutObject,
/// CompleteMultipartUpload), replacing the old one atomically; a failed or cancelled put aborts
/// its multipart upload, so there is never a partial object. Reads are one GET (with a Range
/// from the offset), streamed from the connection.
/// </para>
/// <para>
/// <b>Appends (chains).</b> A resumable upload is appended by one writer per request, possibly on
/// different replicas, so nothing about it may live in a process. S3 objects are immutable and an
/// in-progress multipart upload can be neither read nor listed as an object, so each writer stores
/// what it wrote as one more immutable <i>segment</i> object: the first at the path's own key (the
/// <i>head</i>, marked by its <c>strata-chain</c> metadata), the next ones at
/// <c>path!gen/offset</c>, the offset being where the segment's bytes start in the object (19
/// digits, so keys sort by offset). A writer buffers one part; if its data outgrows that it
/// streams into a multipart upload for its segment, which <see cref="IBlobWriter.CommitAsync"/>
/// completes. The stored object is the head plus the segments that follow it without a gap.
/// <list type="bullet">
/// <item><b>Stat</b> is a HeadObject; only a chain head costs one more request, a listing of
/// <c>path!gen/</c>. The size is exactly what was committed: uncommitted data sits in multipart
/// uploads no one can see.</item>
/// <item><b>Every segment but the last is at least 5 MiB</b>, so a move can concatenate them with
/// UploadPartCopy, whose parts have S3's multipart size rules. A writer that resumes after a
/// segment smaller than 5 MiB reads it back into its buffer (at most 5 MiB, within the one part
/// buffer) and writes its own segment at the same offset, which replaces the small one atomically
/// at commit. This is distribution's "re-read the short last part", kept in S3 as an object.</item>
/// <item><b>Move</b> (upload to blob) is an S3-side copy: CopyObject for one segment up to 5 GiB,
/// otherwise a multipart upload of UploadPartCopy parts, one per segment (5 GiB ranges of larger
/// ones), <see cref="S3DriverOptions.CopyConcurrency"/> at a time, then the source is deleted. No
/// byte passes through this process, and the destination is a plain object.</item>
/// <item><b>Generations.</b> A new chain (a writer without append, or on a missing object) draws a
/// random generation; segments of any other generation are ignored. So debris of an earlier
/// object at the same path (a delete that crashed half way, a Put or Move over a chain) can never
/// become part of a later one; <see cref="DeleteAsync"/> of the path or a parent removes it.</item>
/// <item><b>Keys:</b> '!' is not allowed in storage paths, so segment keys never clash with an
/// object, and sort right after their head: a listing sees each head followed by its segments.</item>
/// </list>
/// The cost is linear: each byte is uploaded once, plus at most 5 MiB read back and rewritten
/// when the previous chunk ended small, plus one server-side copy at the move. Appending to a
/// plain object turns it into a chain head (a small one is read back, a larger one is copied
/// onto itself with the marker added).
/// </para>
/// <para>
/// <b>Why not the alternatives.</b> Keeping one multipart upload open across requests
/// (distribution's S3 driver) leaves the bytes unreadable and the size unknowable to
/// HeadObject until the upload completes, while the upload layer stats the data for the
/// accepted size and reads it back to rebuild its hash on another replica. Folding every
/// append into one object (UploadPartCopy of the object so far, plus the new part) keeps
/// objects plain but copies everything already uploaded on every chunk: quadratic in the number
/// of chunks. A chain needs nothing but S3, costs one extra listing on stat, and is copied once.
/// </para>
/// <para>
/// Not supported: two writers appending to one path at the same time (the registry serializes an
/// upload's chunks; a client sends them one after the other). A writer disposed without commit
/// aborts its multipart upload and keeps the object as of the last commit. Multipart uploads of a
/// crashed process stay until <see cref="AbortStaleUploadsAsync"/> or a bucket lifecycle rule
/// (AbortIncompleteMultipartUpload) removes them. Listings must be consistent with writes
/// (AWS S3 since 2020; Swift when its container updates are not deferred).
/// </para>
/// </summary>
public sealed partial class S3BlobDriver : IBlobDriver, IDisposable
{
    internal const string ContentType = "application/octet-stream";

    private readonly AmazonS3Client _client;
    private readonly AmazonS3Client? _presignClient;
    private readonly string _root;

    public S3BlobDriver(S3DriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        Options = options;
        var prefix = options.Prefix.Trim('/');
        _root = prefix.Length == 0 ? "" : prefix + "/";
        _client = S3ClientFactory.Create(options, options.ServiceUrl);
        if (options.PresignedServiceUrl is not null)
        {
            _presignClient = S3ClientFactory.Create(options, options.PresignedServiceUrl);
        }
    }

    public string Name => "s3";

    public S3DriverOptions Options { get; }

    internal string Bucket => Options.Bucket;

    internal AmazonS3Client Client => _client;

    public async Task<StoredObjectInfo?> StatAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        var stored = await ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : new StoredObjectInfo(path, stored.Size, stored.LastModified);
    }

    public async Task<Stream> OpenReadAsync(string path, long offset, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var key = ObjectKey(path);

        // One GET for a plain object, the common case (blobs). Its metadata shows whether it is
        // a chain head instead, and a 416 whether the offset is at or past the end (an empty
        // object included: it costs one more request, and the registry never opens those).
        // Always with a Range, also from 0: on a whole-object GET whose ETag is an MD5 the SDK
        // checks that MD5 over every byte with its own managed implementation, which was the
        // largest user-mode cost of serving a blob from S3 (a quarter of the replica's CPU
        // samples, docs/benchmarks.md "Scale-out on S3, third pass"). A ranged GET is not
        // checked; the bytes are content-addressed, and registry clients verify each blob's
        // digest (distribution's aws-sdk-go does not check the MD5 on GET either).
        var request = new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange($"bytes={offset}-") };

        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (IsMissingKey(e))
        {
            throw new StoredObjectNotFoundException(Name, path);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return await OpenResolvedAsync(path, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw S3StorageException.From("GetObject", key, e);
        }

        if (ReadGeneration(response.Metadata) is null)
        {
            return new S3ResponseStream(response);
        }

        response.Dispose();
        return await OpenResolvedAsync(path, offset, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        ArgumentNullException.ThrowIfNull(content);
        var key = ObjectKey(path);
        if (content.CanSeek && content.Length - content.Position is >= 0 and var remaining && remaining < Options.PartSize
            && await TryPutSmallAsync(key, content, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var partSize = Options.PartSize;
        var buffer = ArrayPool<byte>.Shared.Rent(partSize);
        var peek = new byte[1];
        S3MultipartUpload? upload = null;
        try
        {
            var carried = 0;
            while (true)
            {
                var length = carried + await content.ReadAtLeastAsync(buffer.AsMemory(carried, partSize - carried), partSize - carried, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);

                // A full buffer may be the end: look one byte ahead, so content of exactly one
                // part is still a single PutObject.
                var more = length == partSize && await content.ReadAsync(peek, cancellationToken).ConfigureAwait(false) == 1;
                if (upload is null && !more)
                {
                    await PutBufferAsync(key, buffer, length, generation: null, cancellationToken).ConfigureAwait(false);
                    return;
                }

                upload ??= await S3MultipartUpload.StartAsync(this, key, generation: null, cancellationToken).ConfigureAwait(false);
                await upload.UploadPartAsync(buffer, length, cancellationToken).ConfigureAwait(false);
                if (!more)
                {
                    break;
                }

                buffer[0] = peek[0];
                carried = 1;
            }

            await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (upload is not null)
        {
            await upload.AbortAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Puts content whose length is known and under a part with a buffer of that length, not a
    /// whole part: small objects (manifests, CernVM-FS catalogs and chunks) are the many, and
    /// concurrent ones should not each hold a part buffer.
    /// </summary>
    /// <returns>False when the stream held more than its length said; it is then rewound.</returns>
    private async Task<bool> TryPutSmallAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var start = content.Position;
        var expected = (int)(content.Length - start);
        var buffer = ArrayPool<byte>.Shared.Rent(expected + 1);
        try
        {
            var length = await content.ReadAtLeastAsync(buffer.AsMemory(0, expected + 1), expected + 1, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (length > expected)
            {
                content.Position = start;
                return false;
            }

            await PutBufferAsync(key, buffer, length, generation: null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<IBlobWriter> OpenWriterAsync(string path, bool append, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        return await S3BlobWriter.OpenAsync(this, path, append, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A URL that lets anyone holding it GET the object directly from the store until it expires
    /// (for redirecting blob downloads). Meant for plain objects (blobs, anything stored by Put or
    /// Move): for a chain still being appended it would serve the head segment only. No request
    /// is made; a missing object gives a URL that answers 404.
    /// </summary>
    public Uri CreatePresignedReadUrl(string path, TimeSpan? lifetime = null)
    {
        StoragePath.Validate(path);
        var client = _presignClient ?? _client;
        var serviceUrl = Options.PresignedServiceUrl ?? Options.ServiceUrl;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = ObjectKey(path),
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + (lifetime ?? Options.PresignedUrlLifetime),
            Protocol = serviceUrl is not null && serviceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        };
        return new Uri(client.GetPreSignedURL(request));
    }

    /// <summary>
    /// Checks that the bucket is reachable with these credentials (one small listing), so a wrong
    /// endpoint, key or bucket fails at start with the store's own answer rather than at the
    /// first push.
    /// </summary>
    public async Task VerifyAccessAsync(CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = _root, MaxKeys = 1 };
        await CallAsync("ListObjectsV2", _root, () => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Aborts multipart uploads under the prefix started more than <paramref name="minimumAge"/>
    /// ago: the parts of puts and writers whose process died. Pass an age longer than any upload
    /// takes, so uploads in flight on other replicas survive. A bucket lifecycle rule
    /// (AbortIncompleteMultipartUpload) does the same without this call.
    /// </summary>
    /// <returns>How many uploads were aborted.</returns>
    public async Task<int> AbortStaleUploadsAsync(TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumAge, TimeSpan.Zero);
        var cutoff = DateTime.UtcNow - minimumAge;
        var request = new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = _root };
        var aborted = 0;
        while (true)
        {
            var page = await CallAsync("ListMultipartUploads", _root, () => _client.ListMultipartUploadsAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                // Swift rounds the start time up to the next second: age zero means every upload.
                if (minimumAge > TimeSpan.Zero && upload.Initiated is { } initiated && ToUtc(initiated) > cutoff)
                {
                    continue;
                }

                var abort = new AbortMultipartUploadRequest { BucketName = Bucket, Key = upload.Key, UploadId = upload.UploadId };
                try
                {
                    await _client.AbortMultipartUploadAsync(abort, cancellationToken).ConfigureAwait(false);
                    aborted++;
                }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    // Completed or aborted by its owner meanwhile.
                }
                catch (Exception e) when (IsStoreFailure(e, cancellationToken))
                {
                    throw S3StorageException.From("AbortMultipartUpload", upload.Key, e);
                }
            }

            if (page.IsTruncated != true)
            {
                return aborted;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _presignClient?.Dispose();
    }

    /// <summary>Runs one SDK call, turning its failures (after the SDK's retries) into <see cref="S3StorageException"/>.</summary>
    internal static async Task<T> CallAsync<T>(string operation, string key, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw S3StorageException.From(operation, key, e);
        }
    }

    /// <summary>
    /// An exception that means the store failed (an error answer, no answer, a timed-out request),
    /// as opposed to the caller cancelling. The SDK lets connection failures through as
    /// <see cref="HttpRequestException"/> once its retries are spent, and a request timeout as a
    /// cancellation the caller did not ask for.
    /// </summary>
    internal static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        // SocketException too: HttpClient lets one through when a connection is reset the instant it
        // opens (seen with a store going down: "Transport endpoint is not connected").
        AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException or System.Net.Sockets.SocketException => true,
        S3StorageException => false,
        IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Stores a buffer as one object with PutObject.</summary>
    internal Task PutBufferAsync(string key, byte[] buffer, int length, string? generation, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = Bucket,
            Key = key,
            ContentType = ContentType,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            UseChunkEncoding = false,
            DisablePayloadSigning = Options.UnsignedPayload,
        };
        SetGeneration(request.Metadata, generation);
        return CallAsync("PutObject", key, () => _client.PutObjectAsync(request, cancellationToken), cancellationToken);
    }

    /// <summary>A GET of bytes <c>[first, last]</c> of one key, for segment reads.</summary>
    internal async Task<GetObjectResponse> GetRangeAsync(string key, long first, long last, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(first, last) };
        return await CallAsync("GetObject", key, () => _client.GetObjectAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    internal static DateTimeOffset ToUtc(DateTime? value) => value switch
    {
        null => DateTimeOffset.UnixEpoch,
        { Kind: DateTimeKind.Unspecified } v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)),
        { } v => new DateTimeOffset(v.ToUniversalTime()),
    };

    /// <summary>A 404 for a key; a missing bucket is also a 404 but a configuration error, not a miss.</summary>
    private static bool IsMissingKey(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket";

    private async Task<Stream> OpenResolvedAsync(string path, long offset, CancellationToken cancellationToken)
    {
        var stored = await ResolveAsync(path, cancellationToken).ConfigureAwait(false)
                     ?? throw new StoredObjectNotFoundException(Name, path);
        if (offset > stored.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offset is past the end of '{path}' ({stored.Size} bytes)");
        }

        return new S3SegmentedReadStream(this, stored.Segments, offset);
    }
}
