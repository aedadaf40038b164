using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Strata.Storage.S3;

/// <summary>Keys and chains: how a stored object maps to S3 objects (see the class remarks).</summary>
public sealed partial class S3BlobDriver
{
    /// <summary>Separates a path from its segment keys; never part of a valid storage path, and sorts before every character that is.</summary>
    internal const char SegmentSeparator = '!';

    /// <summary>User metadata naming a chain head's generation (<c>x-amz-meta-strata-chain</c>).</summary>
    internal const string ChainMetadataKey = "strata-chain";

    private const int OffsetDigits = 19;

    internal string ObjectKey(string path) => _root + path;

    /// <summary>Prefix of every segment of <paramref name="path"/>, all generations.</summary>
    internal string AllSegmentsPrefix(string path) => _root + path + SegmentSeparator;

    internal string SegmentPrefix(string path, string generation) => $"{AllSegmentsPrefix(path)}{generation}/";

    /// <summary>The key of the segment starting at <paramref name="offset"/>; offset 0 is the head, the path's own key.</summary>
    internal string SegmentKey(string path, string generation, long offset) =>
        offset == 0 ? ObjectKey(path) : SegmentPrefix(path, generation) + offset.ToString("D" + OffsetDigits, CultureInfo.InvariantCulture);

    internal static string NewGeneration() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    internal static void SetGeneration(MetadataCollection metadata, string? generation)
    {
        if (generation is not null)
        {
            metadata.Add(ChainMetadataKey, generation);
        }
    }

    /// <summary>The chain generation in an object's metadata, or null for a plain object (or a marker that is not ours).</summary>
    internal static string? ReadGeneration(MetadataCollection metadata)
    {
        var value = metadata[ChainMetadataKey];
        return value is { Length: > 0 and <= 32 } && value.All(char.IsAsciiHexDigitLower) ? value : null;
    }

    /// <summary>What is stored at <paramref name="path"/>: a HeadObject, and for a chain head one listing of its segments.</summary>
    internal async Task<S3StoredObject?> ResolveAsync(string path, CancellationToken cancellationToken)
    {
        var key = ObjectKey(path);
        GetObjectMetadataResponse head;
        try
        {
            head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A HEAD has no body, so a missing bucket looks the same; VerifyAccessAsync tells them apart at start.
            return null;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw S3StorageException.From("HeadObject", key, e);
        }

        var headSegment = new S3Segment(key, 0, head.ContentLength, ToUtc(head.LastModified));
        var generation = ReadGeneration(head.Metadata);
        if (generation is null)
        {
            return new S3StoredObject(path, null, [headSegment]);
        }

        var segments = new List<S3Segment> { headSegment };
        var prefix = SegmentPrefix(path, generation);
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        var candidates = new List<S3Segment>();
        while (true)
        {
            var page = await CallAsync("ListObjectsV2", prefix, () => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                if (TryParseSegment(o, prefix) is { } segment)
                {
                    candidates.Add(segment);
                }
            }

            if (page.IsTruncated != true)
            {
                break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }

        AppendContiguous(segments, candidates);
        return new S3StoredObject(path, generation, segments);
    }

    /// <summary>A listed key under <paramref name="generationPrefix"/> as a segment, or null when it is not one.</summary>
    internal static S3Segment? TryParseSegment(S3Object listed, string generationPrefix)
    {
        var suffix = listed.Key.AsSpan(generationPrefix.Length);
        return suffix.Length == OffsetDigits && long.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset > 0
            ? new S3Segment(listed.Key, offset, listed.Size ?? 0, ToUtc(listed.LastModified))
            : null;
    }

    /// <summary>
    /// Adds to <paramref name="chain"/> (the head, at least) the candidates that continue it without
    /// a gap, in offset order. The driver's own operations never leave a gap (a writer replaces
    /// or adds one segment per commit, even two racing writers only overwrite each other's
    /// segment, and a delete removes the head first); a segment lost some other way ends the
    /// object there rather than shifting later bytes to the wrong offsets.
    /// </summary>
    internal static void AppendContiguous(List<S3Segment> chain, IEnumerable<S3Segment> candidates)
    {
        var end = chain[^1].End;
        foreach (var segment in candidates.OrderBy(s => s.Offset))
        {
            if (segment.Offset < end || segment.Size == 0)
            {
                continue;
            }

            if (segment.Offset > end)
            {
                break;
            }

            chain.Add(segment);
            end = segment.End;
        }
    }
}
