using System.IO.Compression;

namespace Strata.Cvmfs.Objects;

/// <summary>
/// Push-style encoder: content goes in through <see cref="WriteAsync"/>, compressed bytes go out to the
/// destination and are hashed on the way, so the object name is ready when <see cref="CompleteAsync"/>
/// returns. Memory use is the compressor's window, whatever the content size.
/// </summary>
public sealed class ObjectEncoder : IAsyncDisposable
{
    // What cvmfs (zlib compress2, default level) stores for empty content. .NET's ZLibStream writes
    // nothing at all when nothing was written to it, so empty content is special-cased (the same
    // bytes at every level, so the empty object is one object whatever the level).
    private static readonly byte[] EmptyZlibStream = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];

    private readonly ContentHasher _hasher;
    private readonly HashingWriteStream _hashing;
    private readonly ZLibStream? _zlib;
    private readonly ObjectCompression _compression;
    private long _contentSize;
    private bool _completed;

    /// <summary>
    /// zlib level 6, <c>Z_DEFAULT_COMPRESSION</c>, which cvmfs uses: small objects come out
    /// byte-identical to cvmfs's. Clients verify and inflate whatever zlib stream is stored, so any
    /// level is readable by every client; only the object names (hashes of the stored bytes) differ.
    /// </summary>
    public const int DefaultCompressionLevel = 6;

    /// <summary>Creates an encoder writing to <paramref name="destination"/> (left open).</summary>
    /// <param name="destination">Receives the stored bytes.</param>
    /// <param name="compression">zlib or none.</param>
    /// <param name="algorithm">Content hash algorithm of the object name.</param>
    /// <param name="compressionLevel">zlib level 1 (fastest) to 9 (smallest); ignored without compression.</param>
    public ObjectEncoder(Stream destination, ObjectCompression compression = ObjectCompression.Zlib, ContentHashAlgorithm algorithm = ContentHashAlgorithm.Sha1, int compressionLevel = DefaultCompressionLevel)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(compressionLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(compressionLevel, 9);
        _compression = compression;
        _hasher = ContentHasher.Create(algorithm);
        _hashing = new HashingWriteStream(destination, _hasher);

        _zlib = compression switch
        {
            ObjectCompression.Zlib => new ZLibStream(_hashing, new ZLibCompressionOptions { CompressionLevel = compressionLevel }, leaveOpen: true),
            ObjectCompression.None => null,
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
        };
    }

    /// <summary>Content bytes accepted so far.</summary>
    public long ContentSize => _contentSize;

    /// <summary>Encodes all of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static Task<EncodedObject> EncodeAsync(Stream source, Stream destination, ObjectCompression compression, ContentHashAlgorithm algorithm, CancellationToken cancellationToken) =>
        EncodeAsync(source, destination, compression, algorithm, DefaultCompressionLevel, cancellationToken);

    /// <summary>Encodes all of <paramref name="source"/> into <paramref name="destination"/> at a zlib level.</summary>
    public static async Task<EncodedObject> EncodeAsync(Stream source, Stream destination, ObjectCompression compression, ContentHashAlgorithm algorithm, int compressionLevel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var encoder = new ObjectEncoder(destination, compression, algorithm, compressionLevel);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await encoder.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Encodes a buffer into a new byte array (for small objects: certificates, meta-info).</summary>
    public static (EncodedObject Object, byte[] Stored) EncodeBytes(ReadOnlySpan<byte> content, ObjectCompression compression = ObjectCompression.Zlib, ContentHashAlgorithm algorithm = ContentHashAlgorithm.Sha1)
    {
        using var output = new MemoryStream();
        var encoder = new ObjectEncoder(output, compression, algorithm);
        encoder.Write(content);
        var result = encoder.Complete();
        return (result, output.ToArray());
    }

    /// <summary>Adds content.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _contentSize += content.Length;
        return _zlib is not null ? _zlib.WriteAsync(content, cancellationToken) : _hashing.WriteAsync(content, cancellationToken);
    }

    /// <summary>Adds content synchronously.</summary>
    public void Write(ReadOnlySpan<byte> content)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _contentSize += content.Length;
        if (_zlib is not null)
        {
            _zlib.Write(content);
        }
        else
        {
            _hashing.Write(content);
        }
    }

    /// <summary>Flushes the compressor and returns the object's hash and sizes (synchronous writes).</summary>
    public EncodedObject Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        if (_zlib is not null)
        {
            _zlib.Dispose();
            if (_contentSize == 0 && _hashing.BytesWritten == 0)
            {
                _hashing.Write(EmptyZlibStream);
            }
        }

        _hashing.Flush();
        var hash = _hasher.Finish();
        _hasher.Dispose();
        return new EncodedObject(hash, _contentSize, _hashing.BytesWritten);
    }

    /// <summary>Flushes the compressor and returns the object's hash and sizes.</summary>
    public async ValueTask<EncodedObject> CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        if (_zlib is not null)
        {
            await _zlib.DisposeAsync().ConfigureAwait(false);
            if (_contentSize == 0 && _hashing.BytesWritten == 0)
            {
                await _hashing.WriteAsync(EmptyZlibStream, cancellationToken).ConfigureAwait(false);
            }
        }

        await _hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        var hash = _hasher.Finish();
        _hasher.Dispose();
        return new EncodedObject(hash, _contentSize, _hashing.BytesWritten);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _completed = true;
            if (_zlib is not null)
            {
                await _zlib.DisposeAsync().ConfigureAwait(false);
            }

            _hasher.Dispose();
        }
    }

    internal const int StreamBufferSize = 64 * 1024;
}
