using Strata.Cvmfs.Objects;

namespace Strata.Cvmfs.Writing;

/// <summary>Compresses, hashes and stores one object in a single pass.</summary>
public static class ObjectWriter
{
    /// <summary>
    /// Stores <paramref name="content"/> as an object of <paramref name="kind"/> and returns its name.
    /// Catalogs, history databases, certificates and meta-info are always zlib-compressed.
    /// </summary>
    public static async Task<(ObjectId Id, EncodedObject Object)> WriteAsync(IObjectSink sink, Stream content, ObjectKind kind, ObjectCompression compression, ContentHashAlgorithm algorithm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var pending = await sink.CreateAsync(cancellationToken).ConfigureAwait(false);
        await using (pending.ConfigureAwait(false))
        {
            var encoded = await ObjectEncoder.EncodeAsync(content, pending.Content, compression, algorithm, cancellationToken).ConfigureAwait(false);
            var id = new ObjectId(encoded.Hash, kind);
            await pending.CommitAsync(id, cancellationToken).ConfigureAwait(false);
            return (id, encoded);
        }
    }

    /// <summary>Stores a small buffer (certificate, meta-info JSON) as a zlib object.</summary>
    public static Task<(ObjectId Id, EncodedObject Object)> WriteAsync(IObjectSink sink, ReadOnlyMemory<byte> content, ObjectKind kind, CancellationToken cancellationToken) =>
        WriteAsync(sink, new MemoryStream(content.ToArray(), writable: false), kind, ObjectCompression.Zlib, ContentHashAlgorithm.Sha1, cancellationToken);

    /// <summary>Stores a file from disk (a finished catalog or history database) as a zlib object.</summary>
    public static async Task<(ObjectId Id, EncodedObject Object)> WriteFileAsync(IObjectSink sink, string path, ObjectKind kind, ContentHashAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await WriteAsync(sink, stream, kind, ObjectCompression.Zlib, algorithm, cancellationToken).ConfigureAwait(false);
        }
    }
}
