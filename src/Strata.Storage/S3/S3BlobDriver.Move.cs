using Amazon.S3;
using Amazon.S3.Model;
using Strata.Storage.Drivers;

namespace Strata.Storage.S3;

/// <summary>Moves and server-side copies: bytes never pass through this process.</summary>
public sealed partial class S3BlobDriver
{
    /// <summary>The largest object CopyObject copies, and the largest part UploadPartCopy copies: 5 GiB.</summary>
    internal const long MaximumCopySize = 5L << 30;

    public async Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken)
    {
        StoragePath.Validate(sourcePath);
        StoragePath.Validate(destinationPath);
        var source = await ResolveAsync(sourcePath, cancellationToken).ConfigureAwait(false)
                     ?? throw new StoredObjectNotFoundException(Name, sourcePath);
        if (string.Equals(sourcePath, destinationPath, StringComparison.Ordinal))
        {
            // Copy-then-delete would delete the only copy.
            return;
        }

        // The destination is replaced atomically when the copy completes; the source goes after,
        // so a crash in between leaves both (the upload is then swept), never neither.
        await CopyAsync(source, ObjectKey(destinationPath), generation: null, cancellationToken).ConfigureAwait(false);
        await DeleteKeysAsync(sourcePath, includeDescendants: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies a stored object (plain or chain) to one S3 object at <paramref name="destinationKey"/>,
    /// inside S3: CopyObject when it is one object of at most 5 GiB, otherwise a multipart upload
    /// of UploadPartCopy parts. With a <paramref name="generation"/> the copy is a chain head
    /// (appending to a plain object copies it onto itself to add the marker).
    /// </summary>
    internal async Task CopyAsync(S3StoredObject source, string destinationKey, string? generation, CancellationToken cancellationToken)
    {
        if (source.Segments.Count == 1 && source.Size <= MaximumCopySize)
        {
            var request = new CopyObjectRequest
            {
                SourceBucket = Bucket,
                SourceKey = source.Head.Key,
                DestinationBucket = Bucket,
                DestinationKey = destinationKey,
                // REPLACE: a chain head's marker must not follow its bytes to a blob, and a copy
                // onto itself is only allowed when the metadata changes.
                MetadataDirective = S3MetadataDirective.REPLACE,
                ContentType = ContentType,
            };
            SetGeneration(request.Metadata, generation);
            await CallAsync("CopyObject", source.Head.Key, () => _client.CopyObjectAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            return;
        }

        var parts = PlanCopyParts(source);
        var upload = await S3MultipartUpload.StartAsync(this, destinationKey, generation, cancellationToken).ConfigureAwait(false);
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Options.CopyConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(parts.Select((p, i) => (Number: i + 1, Part: p)), options,
                async (item, ct) => await upload.CopyPartAsync(item.Number, item.Part.Key, item.Part.First, item.Part.Last, ct).ConfigureAwait(false)).ConfigureAwait(false);
            await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await upload.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One part per segment, segments over 5 GiB split into equal ranges of at most 5 GiB (each
    /// then well over 5 MiB). The writer keeps every segment but the last at 5 MiB or more, which
    /// is what S3 asks of every part but the last.
    /// </summary>
    internal static List<(string Key, long First, long Last)> PlanCopyParts(S3StoredObject source)
    {
        var parts = new List<(string Key, long First, long Last)>();
        for (var i = 0; i < source.Segments.Count; i++)
        {
            var segment = source.Segments[i];
            if (segment.Size < S3DriverOptions.MinimumPartSize && i < source.Segments.Count - 1)
            {
                throw new S3StorageException("UploadPartCopy", segment.Key,
                    $"segment of {segment.Size} bytes before the last one: S3 concatenates only parts of at least {S3DriverOptions.MinimumPartSize} bytes");
            }

            var count = (int)((segment.Size + MaximumCopySize - 1) / MaximumCopySize);
            for (var r = 0; r < Math.Max(count, 1); r++)
            {
                var first = segment.Size * r / Math.Max(count, 1);
                var next = segment.Size * (r + 1) / Math.Max(count, 1);
                if (next > first)
                {
                    parts.Add((segment.Key, first, next - 1));
                }
            }
        }

        if (parts.Count > S3MultipartUpload.MaximumParts)
        {
            throw new S3StorageException("UploadPartCopy", source.Head.Key, $"{parts.Count} segments: S3 concatenates at most {S3MultipartUpload.MaximumParts}");
        }

        return parts;
    }
}
