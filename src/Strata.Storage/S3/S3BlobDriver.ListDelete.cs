using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using Strata.Storage.Drivers;

namespace Strata.Storage.S3;

/// <summary>Listing and deleting, with chains shown and removed as the one object they are.</summary>
public sealed partial class S3BlobDriver
{
    /// <summary>DeleteObjects takes at most 1,000 keys.</summary>
    private const int DeleteBatchSize = 1000;

    public IAsyncEnumerable<StoredObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        // Validated here rather than in the iterator so a bad prefix fails at the call.
        StoragePath.Validate(prefix);
        return ListObjectsAsync(ObjectKey(prefix) + "/", cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        StoragePath.Validate(path);
        await DeleteKeysAsync(path, includeDescendants: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the object at <paramref name="path"/> (its key and all its segments, every
    /// generation) and, with <paramref name="includeDescendants"/>, every key under <c>path/</c>.
    /// One listing with the path's key as prefix finds them all: the key itself sorts first and
    /// its segments right after it. The key goes first on its own, so a chain disappears at once
    /// rather than shrinking segment by segment.
    /// </summary>
    internal async Task DeleteKeysAsync(string path, bool includeDescendants, CancellationToken cancellationToken)
    {
        var key = ObjectKey(path);
        var segments = AllSegmentsPrefix(path);
        var children = key + "/";
        var lastRange = includeDescendants ? children : segments;
        var batch = new List<string>();
        await foreach (var listed in ListKeysAsync(key, cancellationToken).ConfigureAwait(false))
        {
            if (listed.Key.Length == key.Length)
            {
                await CallAsync("DeleteObject", key, () => _client.DeleteObjectAsync(Bucket, key, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            else if (listed.Key.StartsWith(segments, StringComparison.Ordinal)
                     || (includeDescendants && listed.Key.StartsWith(children, StringComparison.Ordinal)))
            {
                batch.Add(listed.Key);
                if (batch.Count == DeleteBatchSize)
                {
                    await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }
            else if (string.CompareOrdinal(listed.Key, lastRange) > 0 && !listed.Key.StartsWith(lastRange, StringComparison.Ordinal))
            {
                // Listings are in key order: nothing of ours comes after this.
                break;
            }
        }

        if (batch.Count > 0)
        {
            await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteBatchAsync(List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 1)
        {
            await CallAsync("DeleteObject", keys[0], () => _client.DeleteObjectAsync(Bucket, keys[0], cancellationToken), cancellationToken).ConfigureAwait(false);
            return;
        }

        var request = new DeleteObjectsRequest
        {
            BucketName = Bucket,
            Quiet = true,
            Objects = [.. keys.Select(k => new KeyVersion { Key = k })],
        };
        var response = await CallAsync("DeleteObjects", keys[0], () => _client.DeleteObjectsAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (response.DeleteErrors is { Count: > 0 } errors && errors.FirstOrDefault(e => e.Code != "NoSuchKey") is { } error)
        {
            throw new S3StorageException("DeleteObjects", error.Key, $"{errors.Count} of {keys.Count} keys not deleted; first: {error.Code} {error.Message}");
        }
    }

    /// <summary>Every key starting with <paramref name="keyPrefix"/>, in key order, page by page.</summary>
    private async IAsyncEnumerable<S3Object> ListKeysAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = keyPrefix };
        while (true)
        {
            var page = await CallAsync("ListObjectsV2", keyPrefix, () => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var listed in page.S3Objects ?? [])
            {
                yield return listed;
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>
    /// Lists stored objects: plain objects as they are, a chain head with the size of its whole
    /// chain. A head is held back until the keys after it show whether it has segments; only
    /// then does it cost a HeadObject (for its generation). Segments without their head (debris
    /// of an interrupted delete) are skipped, and so are keys that are not storage paths.
    /// </summary>
    private async IAsyncEnumerable<StoredObjectInfo> ListObjectsAsync(string keyPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        S3Object? pending = null;
        List<S3Object> pendingSegments = [];
        await foreach (var listed in ListKeysAsync(keyPrefix, cancellationToken).ConfigureAwait(false))
        {
            var separator = listed.Key.IndexOf(SegmentSeparator, _root.Length);
            if (separator >= 0)
            {
                if (pending is not null && separator == pending.Key.Length && listed.Key.StartsWith(pending.Key, StringComparison.Ordinal))
                {
                    pendingSegments.Add(listed);
                }

                continue;
            }

            if (pending is not null)
            {
                yield return await ToInfoAsync(pending, pendingSegments, cancellationToken).ConfigureAwait(false);
                pendingSegments.Clear();
                pending = null;
            }

            if (StoragePath.IsValid(listed.Key[_root.Length..]))
            {
                pending = listed;
            }
        }

        if (pending is not null)
        {
            yield return await ToInfoAsync(pending, pendingSegments, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StoredObjectInfo> ToInfoAsync(S3Object head, List<S3Object> segments, CancellationToken cancellationToken)
    {
        var path = head.Key[_root.Length..];
        var info = new StoredObjectInfo(path, head.Size ?? 0, ToUtc(head.LastModified));
        if (segments.Count == 0)
        {
            return info;
        }

        var metadata = await CallAsync("HeadObject", head.Key,
            () => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = head.Key }, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (ReadGeneration(metadata.Metadata) is not { } generation)
        {
            // A plain object put over a former chain: its old segments are debris.
            return info;
        }

        var prefix = SegmentPrefix(path, generation);
        var chain = new List<S3Segment> { new(head.Key, 0, head.Size ?? 0, info.LastModified) };
        AppendContiguous(chain, segments.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s => TryParseSegment(s, prefix)).OfType<S3Segment>());
        var stored = new S3StoredObject(path, generation, chain);
        return new StoredObjectInfo(path, stored.Size, stored.LastModified);
    }
}
